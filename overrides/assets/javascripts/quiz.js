/* Quiz widgets: mounts every [data-quiz] on each page view (instant navigation included).
   The page's HTML already holds the questions, options, feedback and answers, readable without
   JavaScript; this script turns them into an interactive check and keeps progress in this browser. */
(() => {
  const STORE_KEY = "fdta.progress.v1"

  /* Progress lives in localStorage; disabled, full or corrupted storage must never break the page.
     The record carries its version: 1 had answers (by option position) and no review schedule;
     2 adds `review` (Leitner boxes) and saves answers by option id. Version 1 records are upgraded
     on reading, so an old export still imports. */
  const VERSION = 2
  const DAY = 24 * 60 * 60 * 1000
  const INTERVALS = [1, 2, 4, 8, 16]          // days a question waits in boxes 1 to 5
  function valid(data) {
    return data && typeof data === "object" && !Array.isArray(data) &&
      data.questions && typeof data.questions === "object" && !Array.isArray(data.questions)
  }
  function load() {
    let data = null
    try { data = JSON.parse(localStorage.getItem(STORE_KEY) || "null") } catch (error) { /* unreadable */ }
    if (!valid(data)) data = { version: 1, questions: {} }
    for (const key of ["tests", "pages", "quizzes", "review"])
      if (!data[key] || typeof data[key] !== "object" || Array.isArray(data[key])) data[key] = {}
    if (data.version !== VERSION) {
      // Version 1: start the schedule from the answers already given (wrong: box 1, right: box 2).
      for (const [id, answer] of Object.entries(data.questions)) {
        if (!answer || typeof answer !== "object" || data.review[id]) continue
        const at = Date.parse(answer.at)
        const box = answer.right ? 2 : 1
        data.review[id] = { box, due: new Date((isNaN(at) ? Date.now() : at) + INTERVALS[box - 1] * DAY).toISOString() }
      }
      data.version = VERSION
    }
    for (const [id, entry] of Object.entries(data.review)) {   // drop entries a hand-edited file broke
      if (!entry || typeof entry !== "object" || !(entry.box >= 1 && entry.box <= INTERVALS.length) ||
          isNaN(Date.parse(entry.due))) delete data.review[id]
    }
    return data
  }

  /* Leitner boxes: a wrong answer puts the question in box 1 (back tomorrow), a right one moves it
     up a box, and each box waits twice as long as the one before (1, 2, 4, 8, 16 days). */
  function schedule(data, id, right) {
    const entry = data.review[id]
    const box = right ? Math.min(INTERVALS.length, (entry ? entry.box : 1) + 1) : 1
    const now = Date.now()
    data.review[id] = { box, due: new Date(now + INTERVALS[box - 1] * DAY).toISOString(), seen: new Date(now).toISOString() }
  }
  function dueIds(data, known) {
    const now = Date.now()
    return Object.entries(data.review)
      .filter(([id, entry]) => Date.parse(entry.due) <= now && (!known || known.has(id)))
      .sort((a, b) => Date.parse(a[1].due) - Date.parse(b[1].due))
      .map(([id]) => id)
  }
  function nextDue(data, known) {
    const times = Object.entries(data.review).filter(([id]) => !known || known.has(id))
      .map(([, entry]) => Date.parse(entry.due))
    return times.length ? new Date(Math.min(...times)) : null
  }
  const dateText = date => date.toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" })
  function save(data) {             // false when the browser could not store it (full, or switched off)
    try { localStorage.setItem(STORE_KEY, JSON.stringify(data)); return true } catch (error) { return false }
  }

  /* An imported file is checked field by field before anything is stored: the first value of the
     wrong type is named, so a hand-edited file can be fixed. */
  const isRecord = value => Boolean(value) && typeof value === "object" && !Array.isArray(value)
  const FIELDS = {
    questions: { answer: "list", right: "boolean", quiz: "string", at: "string" },
    tests: { right: "number", total: "number", percent: "number", passed: "boolean", at: "string" },
    pages: { read: "string" },
    quizzes: { id: "string", total: "number", exam: "boolean" },
    review: { box: "number", due: "string", seen: "string" },
  }
  function wrongType(data) {
    if (!isRecord(data)) return "the file does not hold a progress record"
    if ("version" in data && typeof data.version !== "number") return "'version' is not a number"
    if (!isRecord(data.questions)) return "'questions' is missing or not a record"
    for (const [section, fields] of Object.entries(FIELDS)) {
      if (!(section in data)) continue
      if (!isRecord(data[section])) return `'${section}' is not a record`
      for (const [id, entry] of Object.entries(data[section])) {
        if (!isRecord(entry)) return `'${section}.${id}' is not a record`
        for (const [field, kind] of Object.entries(fields)) {
          if (!(field in entry)) continue
          const value = entry[field]
          const ok = kind === "list" ? Array.isArray(value) && value.every(item => typeof item === "string" || typeof item === "number")
            : kind === "number" ? typeof value === "number" && isFinite(value) : typeof value === kind
          if (!ok) return `'${section}.${id}.${field}' should be ${kind === "list" ? "a list" : `a ${kind}`}`
        }
      }
    }
    return ""
  }

  function options(fieldset) { return Array.from(fieldset.querySelectorAll(".fd-opt")) }
  function chosen(fieldset) {
    return options(fieldset).filter(option => option.querySelector("input").checked)
  }
  function isRight(fieldset) {
    return options(fieldset).every(option =>
      (option.dataset.correct === "true") === option.querySelector("input").checked)
  }

  /* A word beside an option, so right and wrong never rest on colour alone. */
  function tag(option, text) {
    const label = option.querySelector("label")
    label.querySelectorAll(".fd-opt__tag").forEach(old => old.remove())
    if (!text) return
    const mark = document.createElement("span")
    mark.className = "fd-opt__tag"
    mark.textContent = text
    label.append(" ", mark)
  }

  /* Show the feedback: of the picked options, of every option of a select-all question, or (`all`,
     the module test) of every option with the correct ones marked. */
  function show(fieldset, status, all = false) {
    const multiple = fieldset.dataset.kind === "multiple"
    const picked = chosen(fieldset)
    const right = isRight(fieldset)
    options(fieldset).forEach(option => {
      const feedback = option.querySelector(".fd-opt__feedback")
      const visible = all || multiple || picked.includes(option)
      const correct = option.dataset.correct === "true"
      feedback.hidden = !visible
      option.classList.toggle("fd-opt--picked", picked.includes(option))
      option.classList.toggle("fd-opt--right", visible && correct)
      option.classList.toggle("fd-opt--wrong", picked.includes(option) && !correct)
      tag(option, visible && correct ? (picked.includes(option) ? "Correct · your answer" : "Correct answer")
        : picked.includes(option) ? "Your answer" : "")
    })
    const explanation = fieldset.querySelector(".fd-q__explanation")
    if (explanation) explanation.hidden = false
    fieldset.dataset.state = right ? "right" : "wrong"
    // The feedback is visible under the options; the live region repeats it for screen readers.
    const texts = picked.map(option => option.querySelector(".fd-opt__feedback").textContent.trim())
    status.classList.add("fd-q__status--quiet")
    status.textContent = multiple
      ? (right ? "All right. " : "Not all right yet. ") + "Feedback is shown under every option."
      : texts.join(" ")
  }

  function reset(fieldset, status) {
    options(fieldset).forEach(option => {
      option.querySelector("input").checked = false
      option.querySelector(".fd-opt__feedback").hidden = true
      option.classList.remove("fd-opt--picked", "fd-opt--right", "fd-opt--wrong")
      tag(option, "")
    })
    const explanation = fieldset.querySelector(".fd-q__explanation")
    if (explanation) explanation.hidden = true
    delete fieldset.dataset.state
    status.textContent = ""
  }

  function updateScore(root) {
    const fieldsets = Array.from(root.querySelectorAll(".fd-q"))
    updateRevisit(root, fieldsets, "h3")
    const answered = fieldsets.filter(fieldset => fieldset.dataset.state)
    const right = fieldsets.filter(fieldset => fieldset.dataset.state === "right")
    root.querySelector(".fd-quiz__score").textContent = answered.length
      ? `Score: ${right.length} of ${fieldsets.length} right (${answered.length} answered).`
      : `${fieldsets.length} questions. Answers are kept in this browser only.`
  }

  /* "What to revisit": the misconceptions the wrong options picked in these questions show, each
     linking to the section that corrects it. Returns the section, or null when there is nothing. */
  function revisit(fieldsets, level) {
    const seen = new Map()
    fieldsets.filter(fieldset => fieldset.dataset.state).forEach(fieldset => chosen(fieldset).forEach(option => {
      if (option.dataset.correct !== "true" && option.dataset.misconception && !seen.has(option.dataset.misconception))
        seen.set(option.dataset.misconception, option.dataset)
    }))
    if (!seen.size) return null
    const section = document.createElement("section")
    section.className = "fd-revisit"
    const heading = document.createElement(level)
    heading.className = "fd-revisit__title"
    heading.textContent = "What to revisit"
    const intro = document.createElement("p")
    intro.textContent = seen.size === 1 ? "Your answers suggest this idea; the linked section sets it straight:"
      : "Your answers suggest these ideas; each linked section sets one straight:"
    const list = document.createElement("ul")
    seen.forEach(data => {
      const item = document.createElement("li")
      const link = document.createElement("a")
      link.href = data.misconceptionHref
      link.textContent = data.misconceptionStatement
      item.append(link)
      list.append(item)
    })
    section.append(heading, intro, list)
    return section
  }
  function updateRevisit(root, fieldsets, level, before) {
    root.querySelectorAll(":scope > .fd-revisit").forEach(old => old.remove())
    const section = revisit(fieldsets, level)
    if (section) root.insertBefore(section, before || null)
    return section
  }

  /* A pair of buttons (the second hidden until it is useful) and a polite live region. */
  function controls(primary, secondary, tag = "p") {
    const actions = document.createElement("div")
    actions.className = "fd-q__actions"
    actions.innerHTML = `<button type="button" class="md-button md-button--primary ${primary[0]}">${primary[1]}</button>` +
      `<button type="button" class="md-button ${secondary[0]}" hidden>${secondary[1]}</button>`
    return [actions, liveRegion(tag)]
  }
  function liveRegion(tag = "p") {
    const region = document.createElement(tag)
    region.setAttribute("role", "status")
    region.setAttribute("aria-live", "polite")
    return region
  }

  function mountQuestion(root, fieldset, progress) {
    const id = fieldset.dataset.question
    const answer = fieldset.querySelector(".fd-q__answer")
    if (answer) answer.hidden = true              // the no-JavaScript answer key
    const [actions, status] = controls(["fd-q__check", "Check answer"], ["fd-q__retry", "Try again"])
    status.className = "fd-q__status"
    fieldset.append(actions, status)
    const [check, retry] = actions.querySelectorAll("button")

    check.addEventListener("click", () => {
      if (!chosen(fieldset).length) {
        status.classList.remove("fd-q__status--quiet")
        status.textContent = "Choose an answer first."
        return
      }
      show(fieldset, status)
      retry.hidden = false
      const data = load()
      data.questions[id] = {
        answer: chosen(fieldset).map(option => option.dataset.option),
        right: isRight(fieldset), quiz: root.dataset.quiz, at: new Date().toISOString()
      }
      schedule(data, id, isRight(fieldset))
      save(data)
      updateScore(root)
      document.dispatchEvent(new CustomEvent("fd:progress"))
    })
    retry.addEventListener("click", () => {
      reset(fieldset, status)
      retry.hidden = true
      const data = load()
      delete data.questions[id]
      save(data)
      updateScore(root)       // the review schedule keeps the miss: the question still comes back
      fieldset.querySelector("input").focus()
      document.dispatchEvent(new CustomEvent("fd:progress"))
    })

    // Bring back an earlier answer. Question ids are stable and options are saved by their own id
    // (a hash of their text), so reordering or adding options never restores the wrong choice.
    // Answers saved by version 1 of the record are option positions ("1", "2", …).
    const saved = progress.questions[id]
    if (saved && Array.isArray(saved.answer)) {
      const legacy = saved.answer.length && saved.answer.every(value => /^\d{1,2}$/.test(String(value)))
      options(fieldset).forEach((option, index) => {
        option.querySelector("input").checked =
          saved.answer.map(String).includes(legacy ? String(index + 1) : option.dataset.option)
      })
      if (chosen(fieldset).length) {
        show(fieldset, status)
        retry.hidden = false
      }
    }
  }

  /* Exam mode (the module test): answer everything, submit once. Then the result comes first (focus
     moves there and it is announced), every question shows its correct options and the feedback of
     every option, and "What to revisit" and "Retake" follow the questions. */
  function mountExam(root) {
    const fieldsets = Array.from(root.querySelectorAll(".fd-q"))
    const statuses = new Map()
    fieldsets.forEach(fieldset => {
      const answer = fieldset.querySelector(".fd-q__answer")
      if (answer) answer.hidden = true
      const status = liveRegion()
      status.className = "fd-q__status"
      fieldset.append(status)
      statuses.set(fieldset, status)
    })
    const result = liveRegion("div")
    result.className = "fd-exam__result"
    result.tabIndex = -1
    root.prepend(result)
    const [actions, message] = controls(["fd-exam__submit", "Submit the test"], ["fd-exam__retake", "Retake the test"])
    message.className = "fd-exam__message"
    root.append(actions, message)
    const [submit, retake] = actions.querySelectorAll("button")
    const pass = Number(root.dataset.pass) || 80

    submit.addEventListener("click", () => {
      const unanswered = fieldsets.filter(fieldset => !chosen(fieldset).length)
      if (unanswered.length) {
        message.textContent = `Answer every question first: ${unanswered.length} still open.`
        unanswered[0].querySelector("input").focus()
        return
      }
      message.textContent = ""
      fieldsets.forEach(fieldset => {
        show(fieldset, statuses.get(fieldset), true)
        fieldset.querySelectorAll("input").forEach(input => { input.disabled = true })
      })
      const missed = fieldsets.filter(fieldset => fieldset.dataset.state !== "right")
      const right = fieldsets.length - missed.length
      const percent = Math.round(100 * right / fieldsets.length)
      const passed = percent >= pass
      result.innerHTML = ""
      result.dataset.passed = String(passed)
      const heading = document.createElement("p")
      heading.className = "fd-exam__score"
      heading.textContent = `You scored ${right} of ${fieldsets.length} (${percent}%). ` +
        (passed ? `Passed: the pass mark is ${pass}%.` : `Not passed yet: the pass mark is ${pass}%.`)
      result.append(heading)
      const guide = document.createElement("p")
      guide.textContent = "Below, every question shows its correct answer and why each option is right or wrong."
      result.append(guide)
      if (missed.length) {
        const intro = document.createElement("p")
        intro.textContent = `Questions you missed (${missed.length}):`
        const list = document.createElement("ul")
        list.className = "fd-exam__missed"
        missed.forEach(fieldset => {
          const item = document.createElement("li")
          const link = document.createElement("a")
          link.href = `#${fieldset.id}`
          link.textContent = `Question ${fieldsets.indexOf(fieldset) + 1}`
          link.title = fieldset.querySelector(".fd-q__text").textContent.trim()
          item.append(link)
          list.append(item)
        })
        result.append(intro, list)
      }
      const section = updateRevisit(root, fieldsets, "h2", actions)
      if (section) {
        const more = document.createElement("p")
        const link = document.createElement("a")
        link.href = "#fd-revisit"
        link.textContent = "What to revisit"
        section.id = "fd-revisit"
        more.append("The ideas your wrong answers suggest are listed under ", link, ", after the questions.")
        result.append(more)
      }
      result.focus()
      submit.hidden = true
      retake.hidden = false
      const data = load()
      data.tests[root.dataset.quiz] = { right, total: fieldsets.length, percent, passed, at: new Date().toISOString() }
      fieldsets.forEach(fieldset => schedule(data, fieldset.dataset.question, fieldset.dataset.state === "right"))
      save(data)
      document.dispatchEvent(new CustomEvent("fd:progress"))
    })
    retake.addEventListener("click", () => {
      fieldsets.forEach(fieldset => {
        fieldset.querySelectorAll("input").forEach(input => { input.disabled = false })
        reset(fieldset, statuses.get(fieldset))
      })
      result.textContent = ""
      delete result.dataset.passed
      root.querySelectorAll(":scope > .fd-revisit").forEach(old => old.remove())
      submit.hidden = false
      retake.hidden = true
      fieldsets[0].querySelector("input").focus()
    })
  }

  /* The Review page: the questions due, one at a time, with the same options and feedback as in the
     lessons. Answering moves each question between the Leitner boxes. */
  function mountReview(root) {
    if (root.dataset.mounted) return
    root.dataset.mounted = "true"
    root.classList.add("fd-review--live")
    const status = root.querySelector(".fd-review__status")
    const bank = new Map(Array.from(root.querySelectorAll(".fd-q")).map(fieldset => [fieldset.dataset.question, fieldset]))
    bank.forEach(fieldset => {
      const answer = fieldset.querySelector(".fd-q__answer")
      if (answer) answer.hidden = true
    })
    const [actions, feedback] = controls(["fd-q__check", "Check answer"], ["fd-review__next", "Next question"])
    feedback.className = "fd-q__status"
    const [check, next] = actions.querySelectorAll("button")
    let current = null, queue = [], done = 0

    function place(fieldset) {
      fieldset.append(actions, feedback)
      root.querySelectorAll(":scope .fd-revisit").forEach(old => old.remove())
    }
    function advance(focus) {
      if (current) {
        reset(current, feedback)
        current.classList.remove("fd-q--current")
      }
      const data = load()
      queue = dueIds(data, new Set(bank.keys()))
      current = queue.length ? bank.get(queue[0]) : null
      check.hidden = false
      next.hidden = true
      if (!current) {
        actions.remove()
        feedback.remove()
        const later = nextDue(data, new Set(bank.keys()))
        status.textContent = (done ? `Done: you reviewed ${done} question${done === 1 ? "" : "s"}. ` : "") +
          (later ? `Nothing is due now. The next question is due on ${dateText(later)}.`
            : "Nothing to review yet. Answer the quizzes in the lessons: questions you miss come back here.")
        if (focus) status.focus()
        return
      }
      status.textContent = `${queue.length} question${queue.length === 1 ? "" : "s"} due for review.`
      current.classList.add("fd-q--current")
      place(current)
      if (focus) current.querySelector("input").focus()
    }
    check.addEventListener("click", () => {
      if (!chosen(current).length) {
        feedback.classList.remove("fd-q__status--quiet")
        feedback.textContent = "Choose an answer first."
        return
      }
      show(current, feedback)
      const right = isRight(current)
      const data = load()
      schedule(data, current.dataset.question, right)
      save(data)
      done += 1
      const box = data.review[current.dataset.question].box
      const section = revisit([current], "h2")
      if (section) current.after(section)
      const left = dueIds(data, new Set(bank.keys())).length
      status.textContent = (right ? "Right. " : "Not right this time. ") +
        `It comes back in ${INTERVALS[box - 1]} day${box === 1 ? "" : "s"}. ` +
        (left ? `${left} more due.` : "That was the last one due.")
      check.hidden = true
      next.hidden = false
      next.focus()
      document.dispatchEvent(new CustomEvent("fd:progress"))
    })
    next.addEventListener("click", () => advance(true))
    advance(false)
  }

  function mountQuiz(root) {
    if (root.dataset.mounted) return
    root.dataset.mounted = "true"
    root.classList.add("fd-quiz--live")
    if (root.dataset.mode === "exam") return mountExam(root)
    const score = document.createElement("p")
    score.className = "fd-quiz__score"
    root.append(score)
    const progress = load()
    root.querySelectorAll(".fd-q").forEach(fieldset => mountQuestion(root, fieldset, progress))
    updateScore(root)
  }

  /* Paths relative to the site root, so progress survives a site moving to another address. */
  const scope = typeof __md_scope !== "undefined" ? __md_scope : new URL("/", location)
  const relative = url => new URL(url, location).pathname.slice(scope.pathname.length)

  function quizState(data, quiz, total) {
    const answers = Object.values(data.questions).filter(answer => answer && answer.quiz === quiz)
    return { answered: answers.length, right: answers.filter(answer => answer.right).length, total }
  }

  /* A small bar showing how much of a quiz is right; the words beside it or its hidden label say the same. */
  function progressBar(right, total) {
    const bar = document.createElement("span")
    bar.className = "fd-bar"
    bar.setAttribute("aria-hidden", "true")
    const fill = document.createElement("span")
    fill.className = "fd-bar__fill"
    fill.style.width = `${total ? Math.round(100 * right / total) : 0}%`
    bar.append(fill)
    return bar
  }

  /* The home page's progress table: lessons read, quiz scores, test result; export, import, reset. */
  function renderProgress(root) {
    const data = load()
    let read = 0, done = 0
    const rows = Array.from(root.querySelectorAll("tr[data-lesson-quiz]"))
    rows.forEach(row => {
      const score = row.querySelector(".fd-progress__score")
      if (row.dataset.exam === "true") {
        const test = data.tests[row.dataset.lessonQuiz]
        score.textContent = test ? `${test.passed ? "passed" : "not passed"} (${test.right} of ${test.total})` : "not taken"
        return
      }
      const wasRead = Boolean(data.pages[row.dataset.path])
      read += wasRead
      row.querySelector(".fd-progress__read").textContent = wasRead ? "read" : "not yet"
      const state = quizState(data, row.dataset.lessonQuiz, Number(row.dataset.questions))
      done += state.right === state.total
      score.textContent = state.answered ? `${state.right} of ${state.total} right` : "not started"
      score.prepend(progressBar(state.right, state.total))
    })
    const review = root.querySelector(".fd-progress__review")
    if (review) {
      const due = dueIds(data).length
      review.hidden = false
      review.querySelector(".fd-progress__due").textContent =
        due ? `${due} question${due === 1 ? "" : "s"} due` : "no questions due"
    }
    const lessons = rows.filter(row => row.dataset.exam !== "true").length
    root.querySelector(".fd-progress__summary").textContent =
      `${read} of ${lessons} lessons read, ${done} of ${lessons} quizzes fully right. Kept in this browser only.`
  }

  function mountProgress(root) {
    renderProgress(root)
    if (root.dataset.mounted) return
    root.dataset.mounted = "true"
    const actions = root.querySelector(".fd-progress__actions")
    actions.hidden = false
    const summary = root.querySelector(".fd-progress__summary")
    root.querySelector(".fd-progress__export").addEventListener("click", () => {
      const blob = new Blob([JSON.stringify(load(), null, 2)], { type: "application/json" })
      const link = document.createElement("a")
      link.href = URL.createObjectURL(blob)
      link.download = "from-data-to-assistant-progress.json"
      document.body.append(link)
      link.click()
      link.remove()
      setTimeout(() => URL.revokeObjectURL(link.href), 1000)
    })
    root.querySelector(".fd-progress__import input").addEventListener("change", async event => {
      const [file] = event.target.files
      event.target.value = ""
      if (!file) return
      let data = null
      try { data = JSON.parse(await file.text()) } catch (error) { /* reported below */ }
      if (!valid(data)) {
        summary.textContent = "That file is not a progress file from this course; nothing was changed."
        return
      }
      const problem = wrongType(data)
      if (problem) {
        summary.textContent = `That progress file has a value of the wrong type (${problem}); nothing was changed.`
        return
      }
      if (!save(data)) {
        summary.textContent = "Your browser could not store the imported progress (its storage for this site is " +
          "full or switched off); nothing was imported."
        return
      }
      renderProgress(root)
      markNavigation()
      summary.textContent = `Progress imported: ${Object.keys(data.questions).length} answers. ` + summary.textContent
    })
    root.querySelector(".fd-progress__reset").addEventListener("click", () => {
      if (!window.confirm("Erase all your answers and progress in this browser?")) return
      try { localStorage.removeItem(STORE_KEY) } catch (error) { /* storage unavailable */ }
      renderProgress(root)
      markNavigation()
    })
  }

  /* A mark after each lesson in the navigation: read, or its quiz fully right. */
  function markNavigation() {
    const data = load()
    const quizzes = data.quizzes
    document.querySelectorAll(".md-nav--primary .md-nav__link[href]").forEach(link => {
      link.querySelectorAll(".fd-nav-mark").forEach(mark => mark.remove())
      const path = relative(link.href)
      const quiz = quizzes[path]
      const state = quiz && !quiz.exam && quiz.total > 0 ? quizState(data, quiz.id, quiz.total) : null
      const complete = state && state.right === state.total
      const passed = quiz && quiz.exam && data.tests[quiz.id] && data.tests[quiz.id].passed
      if (!complete && !passed && !data.pages[path] && !(state && state.answered)) return
      const mark = document.createElement("span")
      mark.className = "fd-nav-mark"
      const label = document.createElement("span")
      label.className = "fd-visually-hidden"
      if (complete || passed) {
        mark.textContent = " ✓"
        mark.title = "Quiz done"
        label.textContent = "(quiz done)"
      } else if (state) {
        // Read, or its quiz begun: a bar of the questions answered right
        mark.append(progressBar(state.right, state.total))
        mark.title = `${data.pages[path] ? "Read; " : ""}${state.right} of ${state.total} quiz questions right`
        label.textContent = `(${mark.title.toLowerCase()})`
      } else {
        mark.textContent = " ·"
        mark.title = "Read"
        label.textContent = "(read)"
      }
      mark.append(label)
      link.append(mark)
    })
  }

  /* A lesson counts as read once its takeaways or its quiz have been on screen. */
  function trackReading() {
    const path = relative(location.href)
    const data = load()
    document.querySelectorAll("[data-quiz]").forEach(root => {
      data.quizzes[path] = { id: root.dataset.quiz, total: root.querySelectorAll(".fd-q").length,
                             exam: root.dataset.mode === "exam" }
    })
    save(data)
    const targets = document.querySelectorAll("#key-takeaways, [data-quiz]")
    if (!targets.length || !("IntersectionObserver" in window) || data.pages[path]) return
    const observer = new IntersectionObserver(entries => {
      if (!entries.some(entry => entry.isIntersecting)) return
      observer.disconnect()
      const latest = load()
      latest.pages[path] = { read: new Date().toISOString() }
      save(latest)
      markNavigation()
    })
    targets.forEach(target => observer.observe(target))
  }

  document.addEventListener("fd:progress", () => {
    markNavigation()
    document.querySelectorAll("[data-progress]").forEach(renderProgress)
  })

  const mountAll = () => {
    document.querySelectorAll("[data-quiz]").forEach(mountQuiz)
    document.querySelectorAll("[data-progress]").forEach(mountProgress)
    document.querySelectorAll("[data-review]").forEach(mountReview)
    trackReading()
    markNavigation()
  }
  if (typeof document$ !== "undefined") document$.subscribe(mountAll)
  else document.addEventListener("DOMContentLoaded", mountAll)
})()
