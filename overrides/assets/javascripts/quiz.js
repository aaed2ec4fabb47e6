/* Quiz widgets: mounts every [data-quiz] on each page view (instant navigation included).
   The page's HTML already holds the questions, options, feedback and answers, readable without
   JavaScript; this script turns them into an interactive check and keeps progress in this browser. */
(() => {
  const STORE_KEY = "fdta.progress.v1"

  /* Progress lives in localStorage; disabled, full or corrupted storage must never break the page. */
  function load() {
    try {
      const data = JSON.parse(localStorage.getItem(STORE_KEY) || "{}")
      if (data && typeof data === "object" && data.questions && typeof data.questions === "object") return data
    } catch (error) { /* unreadable: start afresh */ }
    return { version: 1, questions: {} }
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
      data.tests = data.tests && typeof data.tests === "object" ? data.tests : {}
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

  const mountAll = () => document.querySelectorAll("[data-quiz]").forEach(mountQuiz)
  if (typeof document$ !== "undefined") document$.subscribe(mountAll)
  else document.addEventListener("DOMContentLoaded", mountAll)
})()
