/* Quiz widgets: mounts every [data-quiz] on each page view (instant navigation included).
   The page's HTML already holds the questions, options, feedback and answers, readable without
   JavaScript; this script turns them into an interactive check and keeps progress in this browser. */
(() => {
  const STORE_KEY = "fdta.progress.v1"

  /* Progress lives in localStorage; disabled, full or corrupted storage must never break the page. */
  function valid(data) {
    return data && typeof data === "object" && !Array.isArray(data) &&
      data.questions && typeof data.questions === "object" && !Array.isArray(data.questions)
  }
  function load() {
    let data = null
    try { data = JSON.parse(localStorage.getItem(STORE_KEY) || "null") } catch (error) { /* unreadable */ }
    if (!valid(data)) data = { version: 1, questions: {} }
    for (const key of ["tests", "pages", "quizzes"])
      if (!data[key] || typeof data[key] !== "object" || Array.isArray(data[key])) data[key] = {}
    return data
  }
  function save(data) {
    try { localStorage.setItem(STORE_KEY, JSON.stringify(data)) } catch (error) { /* storage unavailable */ }
  }

  function options(fieldset) { return Array.from(fieldset.querySelectorAll(".fd-opt")) }
  function chosen(fieldset) {
    return options(fieldset).filter(option => option.querySelector("input").checked)
  }
  function isRight(fieldset) {
    return options(fieldset).every(option =>
      (option.dataset.correct === "true") === option.querySelector("input").checked)
  }

  function show(fieldset, status) {
    const multiple = fieldset.dataset.kind === "multiple"
    const picked = chosen(fieldset)
    const right = isRight(fieldset)
    options(fieldset).forEach(option => {
      const feedback = option.querySelector(".fd-opt__feedback")
      const visible = multiple || picked.includes(option)
      feedback.hidden = !visible
      option.classList.toggle("fd-opt--picked", picked.includes(option))
      option.classList.toggle("fd-opt--right", visible && option.dataset.correct === "true")
      option.classList.toggle("fd-opt--wrong", picked.includes(option) && option.dataset.correct !== "true")
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
    })
    const explanation = fieldset.querySelector(".fd-q__explanation")
    if (explanation) explanation.hidden = true
    delete fieldset.dataset.state
    status.textContent = ""
  }

  function updateScore(root) {
    const fieldsets = Array.from(root.querySelectorAll(".fd-q"))
    const answered = fieldsets.filter(fieldset => fieldset.dataset.state)
    const right = fieldsets.filter(fieldset => fieldset.dataset.state === "right")
    root.querySelector(".fd-quiz__score").textContent = answered.length
      ? `Score: ${right.length} of ${fieldsets.length} right (${answered.length} answered).`
      : `${fieldsets.length} questions. Answers are kept in this browser only.`
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
        answer: chosen(fieldset).map(option => option.querySelector("input").value),
        right: isRight(fieldset), quiz: root.dataset.quiz, at: new Date().toISOString()
      }
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
      updateScore(root)
      fieldset.querySelector("input").focus()
      document.dispatchEvent(new CustomEvent("fd:progress"))
    })

    // Bring back an earlier answer (question ids are stable, so this survives site updates).
    const saved = progress.questions[id]
    if (saved && Array.isArray(saved.answer)) {
      options(fieldset).forEach(option => {
        const input = option.querySelector("input")
        input.checked = saved.answer.includes(input.value)
      })
      if (chosen(fieldset).length) {
        show(fieldset, status)
        retry.hidden = false
      }
    }
  }

  /* Exam mode (the module test): answer everything, submit once, see the score and what was missed. */
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
    const [actions, result] = controls(["fd-exam__submit", "Submit the test"],
      ["fd-exam__retake", "Retake the test"], "div")
    result.className = "fd-exam__result"
    result.tabIndex = -1
    root.append(actions, result)
    const [submit, retake] = actions.querySelectorAll("button")
    const pass = Number(root.dataset.pass) || 80

    submit.addEventListener("click", () => {
      const unanswered = fieldsets.filter(fieldset => !chosen(fieldset).length)
      if (unanswered.length) {
        result.textContent = `Answer every question first: ${unanswered.length} still open.`
        unanswered[0].querySelector("input").focus()
        return
      }
      fieldsets.forEach(fieldset => {
        show(fieldset, statuses.get(fieldset))
        fieldset.querySelectorAll("input").forEach(input => { input.disabled = true })
      })
      const missed = fieldsets.filter(fieldset => fieldset.dataset.state !== "right")
      const right = fieldsets.length - missed.length
      const percent = Math.round(100 * right / fieldsets.length)
      const passed = percent >= pass
      result.innerHTML = ""
      const heading = document.createElement("p")
      heading.className = "fd-exam__score"
      heading.textContent = `You scored ${right} of ${fieldsets.length} (${percent}%). ` +
        (passed ? `Passed: the pass mark is ${pass}%.` : `Not passed yet: the pass mark is ${pass}%.`)
      result.append(heading)
      if (missed.length) {
        const intro = document.createElement("p")
        intro.textContent = "Questions to look at again (the feedback under each option explains):"
        const list = document.createElement("ul")
        missed.forEach(fieldset => {
          const item = document.createElement("li")
          const link = document.createElement("a")
          link.href = `#${fieldset.id}`
          link.textContent = fieldset.querySelector(".fd-q__text").textContent.trim()
          item.append(link)
          list.append(item)
        })
        result.append(intro, list)
      }
      result.focus()
      submit.hidden = true
      retake.hidden = false
      const data = load()
      data.tests[root.dataset.quiz] = { right, total: fieldsets.length, percent, passed, at: new Date().toISOString() }
      save(data)
      document.dispatchEvent(new CustomEvent("fd:progress"))
    })
    retake.addEventListener("click", () => {
      fieldsets.forEach(fieldset => {
        fieldset.querySelectorAll("input").forEach(input => { input.disabled = false })
        reset(fieldset, statuses.get(fieldset))
      })
      result.textContent = ""
      submit.hidden = false
      retake.hidden = true
      fieldsets[0].querySelector("input").focus()
    })
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
    })
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
      save(data)
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
      const complete = quiz && !quiz.exam && quiz.total > 0 && quizState(data, quiz.id, quiz.total).right === quiz.total
      const passed = quiz && quiz.exam && data.tests[quiz.id] && data.tests[quiz.id].passed
      if (!complete && !passed && !data.pages[path]) return
      const mark = document.createElement("span")
      mark.className = "fd-nav-mark"
      mark.textContent = complete || passed ? " ✓" : " ·"
      mark.title = complete || passed ? "Quiz done" : "Read"
      const label = document.createElement("span")
      label.className = "fd-visually-hidden"
      label.textContent = complete || passed ? "(quiz done)" : "(read)"
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
    trackReading()
    markNavigation()
  }
  if (typeof document$ !== "undefined") document$.subscribe(mountAll)
  else document.addEventListener("DOMContentLoaded", mountAll)
})()
