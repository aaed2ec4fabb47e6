/* "Ask this lesson": finds the passages of the course that answer a learner's question, in the browser.

   The passages (paragraphs, list items, table rows, stat cards, boxes, each with its heading) are in
   assets/ask/index.json, written after the build by `python -m textbook.publish`. It is fetched from
   this site the first time the box is used; the question itself never leaves the page.

   Ranking: Okapi BM25 over lightly stemmed words. Each glossary term counts as one word whatever
   spelling is used ("RLHF", "reinforcement learning from human feedback"), and in a question also the
   everyday words the glossary lists for it (asked_as: "make things up" for hallucination), so a question
   and a passage that name it differently still meet. A passage's score adds a share of its section's
   (heading, neighbouring paragraphs, and the wrong beliefs the section corrects, from the
   misconceptions file, and what learners ask that it answers, from docs/learner-questions.yml, each of
   which also counts for the passage of its section it matches best), and the score of the section's
   learner question closest to the question, which counts again for the passage it was given to; passages
   of the lesson being read get a lead. A name with its version ("GPT-4", "Llama 3") is also one word.
   When the best passage matches too little of the question's weight, the box says the course does not
   answer it and points to the glossary entry or lesson closest to it. The values below were tuned on
   tests/ask_questions.yml, tests/ask_questions_unseen.yml and tests/ask_questions_fresh.yml;
   tests/ask_questions_heldout.yml, written apart from the ranking and from docs/learner-questions.yml,
   measures them: never tune on it. */
(() => {
  const TUNING = {
    K1: 1.2, B: 0.75,             // BM25: term saturation, and how much a long passage is discounted
    THIS_LESSON: 1.6,             // the lead a passage of the lesson being read gets
    SUMMARY: 0.6,                 // a takeaway restates a section in short: the section itself comes first
    SECTION: 1,                   // how much a passage's section adds to its own score
    ASKED: 1,                     // how much the section's learner question closest to the question adds…
    ASKED_PASSAGE: 0.35,          // …and, again, to the passage that learner question was given to
    NEIGHBOUR: 0.15,              // how much each neighbouring passage in its section adds
    SECTION_COVERAGE: 0.8,        // how much of the question the section may cover for the passage
    COVERED: 0.575,               // share of the question's weight the best passage must match…
    PARTLY: 0.35,                 // …or this share, with a score of at least STRONG
    STRONG: 44,
    NEAREST: 0.25,                // share of the question a passage must match for its lesson to be suggested
    RELATIVE: 0.35,               // a passage scoring under this share of the best is not shown
    HEADING: 3,                   // a heading's words count this many times in its section
    SHOWN: 3,
  }

  const STOP = new Set((
    "a about above after again against all also am an and any are as at be because been before being " +
    "below between both but by can could did do does doing done down during each else ever every few for " +
    "from further get gets getting got had has have having he her here hers him his how i if in into is " +
    "isn it its itself just let lot lots me mean means meant more most much my no nor not now of off on " +
    "once only or other our out over own please really same she should so some still such tell than that " +
    "the their them then there these they thing things this those through to too under until up us very " +
    "was we were what whats when where which while who whom why will with would you your yours " +
    "explain anyone someone something does actually kind sort way ok okay stuff basically " +
    // What is left of a contraction ("won't" -> "won"), and the fillers of typed speech: no passage
    // answers them, and as words no passage holds they would weigh the most.
    "aren couldn didn doesn don hadn hasn haven isn ll re ve wasn weren won wouldn shouldn ain " +
    "lol like pretty quite super totally literally bunch whole crazy random hey hi thanks thank gonna wanna " +
    "kinda sorta yeah yes anyway anymore maybe guess wonder wondering curious question q"
  ).split(" "))

  /* A light English stemmer: plurals, -ing and -ed, -ly; enough to meet "models"/"model",
     "training"/"trained"/"train", without the mistakes of aggressive stemming. */
  function stem(word) {
    if (word.length <= 3 || /^\d/.test(word)) return word
    let w = word
    if (w.endsWith("'s")) w = w.slice(0, -2)
    if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y"
    else if (w.endsWith("sses")) w = w.slice(0, -2)
    else if (w.endsWith("s") && !/(ss|us|is|ys)$/.test(w) && w.length > 3) w = w.slice(0, -1)
    for (const suffix of ["ingly", "edly", "ing", "ed"]) {
      if (w.endsWith(suffix) && w.length - suffix.length >= 3 && /[aeiouy]/.test(w.slice(0, -suffix.length))) {
        w = w.slice(0, -suffix.length)
        if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1)          // running -> run, stopped -> stop
        else if (/[^aeiouy][aeiouy][^aeiouywx]$/.test(w) && w.length <= 4) w += "e"   // making -> make
        break
      }
    }
    if (w.endsWith("ly") && w.length > 5) w = w.slice(0, -2)
    if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1)            // make/making, use/using meet
    return w
  }

  /* BM25's weight of a word found in `df` of `n` documents. */
  function inverse(n, df) {
    return Math.log(1 + (n - df + 0.5) / (df + 0.5))
  }

  function words(text) {
    const plain = String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")   // résumé -> resume
    return (plain.toLowerCase().replace(/[’']/g, "'").match(/[a-z0-9]+(?:'s)?/g) || [])
  }

  /* Every word of a text, stemmed, stop words included: glossary phrases are matched on these
     ("make things up" must not match any text with "make" in it). */
  function runOf(text) {
    return words(text).map((word) => stem(word.replace(/'s$/, "")))
  }

  function stems(text) {
    const out = []
    for (const word of words(text)) {
      const bare = word.replace(/'s$/, "")
      if (STOP.has(bare) || (bare.length < 2 && !/\d/.test(bare))) continue
      out.push(stem(bare))
    }
    return out
  }

  class Index {
    constructor(data) {
      this.lessons = data.lessons
      this.sections = data.sections
      this.glossary = data.glossary || []
      // Each spelling of each glossary term as a run of stemmed words, to recognise it in any text; the
      // everyday words learners use for a term ("make things up"), in their questions only: a lesson may
      // say "a made-up example" without meaning a hallucination.
      this.phrases = new Map()                 // first word -> [{ run, concept }]
      this.asked = new Map()
      const add = (table, spelling, concept) => {
        const run = runOf(spelling)
        if (!run.length) return
        if (!table.has(run[0])) table.set(run[0], [])
        table.get(run[0]).push({ run, concept })
      }
      this.glossary.forEach((group, number) => {
        for (const spelling of group.spellings) add(this.phrases, spelling, number)
        for (const words of group.asked || []) add(this.asked, words, number)
      })
      this.passages = data.passages.map(([section, label, text, extra, summary]) => {
        const [lesson, heading, anchor, beliefs, questions] = this.sections[section]
        const tokens = this.tokens(`${label} ${text} ${extra}`).all
        const tf = new Map()
        for (const token of tokens) tf.set(token, (tf.get(token) || 0) + 1)
        return { lesson, heading, anchor, section, beliefs: [beliefs || "", ...(questions || [])].join(" "), label, text, tf,
                 length: tokens.length, factor: summary ? TUNING.SUMMARY : 1 }
      })
      // What learners ask that a section answers (docs/learner-questions.yml) also counts among the words of
      // the passage of that section it matches best: it tells one paragraph of the section from the next.
      this.count()
      const inSection = new Map()
      for (const passage of this.passages) {
        if (!inSection.has(passage.section)) inSection.set(passage.section, [])
        inSection.get(passage.section).push(passage)
      }
      const attached = []
      this.sections.forEach(([, , , , questions], section) => {
        for (const question of questions || []) {
          const unique = [...new Set(this.tokens(question, true).all)]
          let best = null, top = 0
          for (const passage of inSection.get(section) || []) {
            const [score] = this.bm25(unique, passage.tf, passage.length, this.average)
            if (score > top) { top = score; best = passage }
          }
          if (!best) continue
          attached.push([best, question])
          for (const token of this.tokens(question).all) { best.tf.set(token, (best.tf.get(token) || 0) + 1); best.length++ }
        }
      })
      // A passage is scored with its section too: a paragraph rarely repeats the words of the
      // question its section answers, and a section's words say what each of its paragraphs is about.
      this.groups = []
      const bySection = new Map()
      for (const passage of this.passages) {
        const key = passage.lesson + "#" + passage.anchor
        if (!bySection.has(key)) {
          bySection.set(key, { tf: new Map(), length: 0 })
          this.groups.push(bySection.get(key))
        }
        const group = bySection.get(key)
        if (!group.length) {
          // The heading says what the section is about; the wrong beliefs it corrects, how a learner asks.
          for (const token of this.tokens(passage.heading).all) group.tf.set(token, (group.tf.get(token) || 0) + TUNING.HEADING)
          for (const token of this.tokens(passage.beliefs, true).all) group.tf.set(token, (group.tf.get(token) || 0) + 1)
        }
        for (const [token, count] of passage.tf) group.tf.set(token, (group.tf.get(token) || 0) + count)
        group.length += passage.length
        passage.group = group
      }
      this.count()
      this.groupAverage = this.groups.reduce((sum, group) => sum + group.length, 0) / (this.groups.length || 1)
      // Each learner question also on its own: a question typed in the box is often worded like one asked
      // before, and a close match to one of them says more than the same words spread over a section.
      this.asks = attached.map(([passage, question]) => {
        const tf = new Map()
        const tokens = this.tokens(question, true).all
        for (const token of tokens) tf.set(token, (tf.get(token) || 0) + 1)
        return { group: passage.group, passage, tf, length: tokens.length }
      })
      this.askDf = new Map()
      for (const asked of this.asks) for (const token of asked.tf.keys()) this.askDf.set(token, (this.askDf.get(token) || 0) + 1)
      this.askAverage = this.asks.reduce((sum, asked) => sum + asked.length, 0) / (this.asks.length || 1)
      this.askIdf = (token) => inverse(this.asks.length, this.askDf.get(token) || 0)
    }

    /* How many passages hold each word, and their average length, for BM25. */
    count() {
      this.df = new Map()
      for (const passage of this.passages)
        for (const token of passage.tf.keys()) this.df.set(token, (this.df.get(token) || 0) + 1)
      this.average = this.passages.reduce((sum, passage) => sum + passage.length, 0) / (this.passages.length || 1)
    }

    bm25(unique, tf, length, average, weigh = (token) => this.idf(token)) {
      let score = 0, matched = 0
      for (const token of unique) {
        const count = tf.get(token)
        if (!count) continue
        const idf = weigh(token)
        matched += idf
        score += idf * count * (TUNING.K1 + 1) / (count + TUNING.K1 * (1 - TUNING.B + TUNING.B * length / average))
      }
      return [score, matched]
    }

    /* The stems of a text, plus "@n" for each glossary term n it names; a question may also name a term
       with the everyday words the glossary lists for it (asked_as). */
    tokens(text, question = false) {
      const all = words(text).map((word) => word.replace(/'s$/, ""))
      const run = all.map(stem)
      const concepts = new Set()
      const consumed = new Set()          // a question's words a glossary phrase stood for
      for (const table of question ? [this.phrases, this.asked] : [this.phrases]) {
        for (let at = 0; at < run.length; at++) {
          for (const phrase of table.get(run[at]) || []) {
            if (!phrase.run.every((part, offset) => run[at + offset] === part)) continue
            concepts.add(phrase.concept)
            // In a question, an everyday phrasing stands for the term alone ("make things up" is not about
            // making), and so does a spelling's word no passage uses ("hallucinate": it would weigh most).
            if (question) {
              phrase.run.forEach((part, offset) => {
                if (table === this.asked || (this.df && !this.df.has(part))) consumed.add(at + offset)
              })
            }
          }
        }
      }
      const found = run.filter((part, at) => !consumed.has(at) && !STOP.has(all[at]) && (all[at].length > 1 || /\d/.test(all[at])))
      // A name with its version ("GPT-4", "Llama 3", "phi-4") is one thing as well: "gpt-5" is not "gpt-4".
      const names = []
      for (const [, name, version] of String(text).toLowerCase().matchAll(/\b([a-z]{2,})[- ]?(\d{1,2}(?:\.\d)?[a-z]?)\b/g))
        if (!STOP.has(name)) names.push("#" + name + version)
      return { stems: found, concepts, all: found.concat([...concepts].map((n) => "@" + n), names) }
    }

    idf(token) {
      return inverse(this.passages.length, this.df.get(token) || 0)
    }

    /* How well the learner questions match a question: for each section, and for each passage, the score
       of the best matching one filed under it (a learner question belongs to the passage it was given to). */
    closestAsked(unique) {
      const sections = new Map(), passages = new Map()
      for (const asked of this.asks) {
        const [score] = this.bm25(unique, asked.tf, asked.length, this.askAverage, this.askIdf)
        if (score > (sections.get(asked.group) || 0)) sections.set(asked.group, score)
        if (score > (passages.get(asked.passage) || 0)) passages.set(asked.passage, score)
      }
      return { sections, passages }
    }

    /* Passages ranked for a question, best first; `lesson` is the src of the lesson being read. */
    search(question, lesson) {
      const query = this.tokens(question, true)
      const unique = [...new Set(query.all)]
      const weight = unique.reduce((sum, token) => sum + this.idf(token), 0)
      const current = this.lessons.findIndex((entry) => entry.src === lesson)
      const own = this.passages.map((passage) => this.bm25(unique, passage.tf, passage.length, this.average))
      const sections = new Map()
      const asked = this.closestAsked(unique)
      const scored = []
      this.passages.forEach((passage, at) => {
        // A paragraph's neighbours in its section tell what it is about ("The standard defense is…").
        let [score, matched] = own[at]
        // A passage must share a word with the question, or its section a learner question that does.
        if (score <= 0 && !asked.sections.has(passage.group)) return
        for (const near of [at - 1, at + 1]) {
          const other = this.passages[near]
          if (other && other.group === passage.group) score += TUNING.NEIGHBOUR * own[near][0]
        }
        if (!sections.has(passage.group)) sections.set(passage.group, this.bm25(unique, passage.group.tf, passage.group.length, this.groupAverage))
        const [section, sectionMatched] = sections.get(passage.group)
        score += TUNING.SECTION * section + TUNING.ASKED * (asked.sections.get(passage.group) || 0) +
                 TUNING.ASKED_PASSAGE * (asked.passages.get(passage) || 0)
        score *= passage.factor * (passage.lesson === current ? TUNING.THIS_LESSON : 1)
        const covers = Math.max(matched, sectionMatched * TUNING.SECTION_COVERAGE)
        scored.push({ passage, score, coverage: weight ? covers / weight : 0 })
      })
      scored.sort((a, b) => b.score - a.score)
      const best = scored[0]
      // Covered: the best passage matches most of the question's weight, or a fair part of it with a strong
      // score (several of its words, or its rarer ones, together in one passage and section).
      const covered = Boolean(best) && (best.coverage >= TUNING.COVERED ||
                                        (best.coverage >= TUNING.PARTLY && best.score >= TUNING.STRONG))
      const results = covered ? scored.filter((hit) => hit.score >= best.score * TUNING.RELATIVE).slice(0, TUNING.SHOWN) : []
      return { query, results, covered, scored, closest: this.closest(query, scored) }
    }

    /* Where to send a learner the course does not answer: a glossary term they named, else the lesson
       whose passages matched the question most. */
    closest(query, scored) {
      const concept = [...query.concepts][0]
      if (concept !== undefined) return { term: this.glossary[concept] }
      if (!scored.length || scored[0].coverage < TUNING.NEAREST) return {}      // nothing near: no lesson to suggest
      const totals = new Map()
      for (const hit of scored.slice(0, 20)) totals.set(hit.passage.lesson, (totals.get(hit.passage.lesson) || 0) + hit.score)
      let lesson = null, top = 0
      for (const [number, total] of totals) if (total > top) { lesson = number; top = total }
      return lesson === null ? {} : { lesson: this.lessons[lesson] }
    }

    /* Glossary terms a question names, for a definition above the passages. */
    terms(query) {
      return [...query.concepts].map((number) => this.glossary[number])
    }
  }

  /* The stems to highlight for a question: its own words, and every spelling of a glossary term it names. */
  function wantedStems(query, index) {
    const wanted = new Set(query.stems)
    for (const number of query.concepts)
      for (const spelling of index.glossary[number].spellings) for (const part of stems(spelling)) wanted.add(part)
    return wanted
  }

  /* Which of these pieces (words and the spaces between them) hold a wanted stem. */
  function marked(parts, wanted) {
    return parts.map((part) => {
      if (!part.trim()) return false
      const found = stems(part)
      return found.length > 0 && found.some((s) => wanted.has(s))
    })
  }

  /* A heading as [text, highlighted?] pieces: a passage may answer in words of its own, and its heading
     then shows what it has in common with the question. */
  function highlighted(text, query, index) {
    const parts = text.split(/(\s+)/)
    const hits = marked(parts, wantedStems(query, index))
    return parts.map((part, i) => [part, hits[i]])
  }

  /* A passage's most relevant stretch (at most `size` words), as [text, highlighted?] pieces. */
  function snippet(text, query, index, size = 48) {
    const parts = text.split(/(\s+)/)
    const hits = marked(parts, wantedStems(query, index))
    const wordsAt = parts.map((part, i) => (part.trim() ? i : -1)).filter((i) => i >= 0)
    let start = 0, best = -1
    for (let w = 0; w < wordsAt.length; w += 4) {
      let count = 0
      for (let k = w; k < Math.min(w + size, wordsAt.length); k++) if (hits[wordsAt[k]]) count++
      if (count > best) { best = count; start = w }
    }
    start = Math.max(0, Math.min(start, wordsAt.length - size))
    const from = wordsAt[start] ?? 0, to = wordsAt[Math.min(start + size, wordsAt.length) - 1] ?? parts.length - 1
    const pieces = []
    if (from > 0) pieces.push(["… ", false])
    for (let i = from; i <= to; i++) pieces.push([parts[i], hits[i]])
    if (to < parts.length - 1) pieces.push([" …", false])
    return pieces
  }

  if (typeof module === "object" && module.exports) {           // Node: the ranking alone, for tests
    module.exports = { Index, stem, stems, snippet, highlighted, TUNING }
    return
  }

  /* --- The box -------------------------------------------------------------------------------------- */
  const loading = new Map()           // index URL -> Promise<Index>, kept across instant navigation

  function load(url) {
    const absolute = new URL(url, document.baseURI).href
    if (!loading.has(absolute)) {
      loading.set(absolute, fetch(absolute, { credentials: "same-origin" })
        .then((response) => { if (!response.ok) throw new Error(response.status); return response.json() })
        .then((data) => new Index(data))
        .catch((error) => { loading.delete(absolute); throw error }))
    }
    return loading.get(absolute)
  }

  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag)
    for (const [key, value] of Object.entries(attributes)) {
      if (key === "className") node.className = value
      else node.setAttribute(key, value)
    }
    for (const child of children) node.append(child)
    return node
  }

  function link(href, text) {
    return element("a", { href }, text)
  }

  function render(box, index, question, found) {
    const answer = box.querySelector(".fd-ask__answer")
    const status = box.querySelector(".fd-ask__status")
    const root = box.dataset.root
    const lesson = box.dataset.lesson
    answer.replaceChildren()
    const current = index.lessons.findIndex((entry) => entry.src === lesson)
    if (!found.covered) {
      const reply = element("p", { className: "fd-ask__none" },
        "This course does not seem to answer that: no passage matches enough of your question. ")
      const closest = found.closest
      if (closest.term && closest.term.href) {
        reply.append("The glossary explains ", link(root + closest.term.href, closest.term.term), ".")
      } else if (closest.lesson) {
        reply.append("The nearest lesson is ", link(root + closest.lesson.url, closest.lesson.title), ".")
      } else {
        reply.append("Try other words, or look in the ", link(root + (index.glossary[0]?.href.split("#")[0] || ""), "glossary"), ".")
      }
      answer.append(reply)
      status.textContent = "Not covered by this course."
      return
    }
    for (const term of index.terms(found.query).slice(0, 1)) {
      const definition = element("p", { className: "fd-ask__term" },
        element("strong", {}, term.term), ": " + term.definition + " ")
      if (term.href) definition.append(link(root + term.href, "Glossary entry"))
      answer.append(definition)
    }
    const list = element("ol", { className: "fd-ask__results" })
    for (const hit of found.results) {
      const passage = hit.passage
      const entry = index.lessons[passage.lesson]
      const href = passage.lesson === current ? "#" + passage.anchor
        : root + entry.url + (passage.anchor ? "#" + passage.anchor : "")
      const heading = link(href, "")
      for (const [piece, hit] of highlighted(passage.heading, found.query, index)) heading.append(hit ? element("mark", {}, piece) : piece)
      const where = element("p", { className: "fd-ask__where" }, heading)
      if (passage.lesson !== current) where.append(element("span", { className: "fd-ask__lesson" }, " · " + entry.title))
      if (passage.label) where.append(element("span", { className: "fd-ask__label-box" }, " · " + passage.label))
      const text = element("p", { className: "fd-ask__text" })
      for (const [piece, marked] of snippet(passage.text, found.query, index)) {
        text.append(marked ? element("mark", {}, piece) : piece)
      }
      list.append(element("li", {}, where, text))
    }
    answer.append(list)
    const count = found.results.length
    const first = found.results[0].passage.heading.replace(/[.?!:]+$/, "")
    status.textContent = `${count} passage${count === 1 ? "" : "s"} found. First: ${first}.`
  }

  /* The last question asked on each lesson, for this browser tab only (sessionStorage). */
  const ASKED_KEY = "fdta.ask.v1"
  function recall(lesson) {
    try { return (JSON.parse(sessionStorage.getItem(ASKED_KEY) || "{}") || {})[lesson] || "" } catch (error) { return "" }
  }
  function remember(lesson, question) {
    try {
      const asked = JSON.parse(sessionStorage.getItem(ASKED_KEY) || "{}") || {}
      asked[lesson] = question
      sessionStorage.setItem(ASKED_KEY, JSON.stringify(asked))
    } catch (error) { /* storage off or full: nothing to restore later */ }
  }

  function mount(box) {
    if (box.dataset.mounted) return
    box.dataset.mounted = "true"
    const form = box.querySelector(".fd-ask__form")
    const input = box.querySelector(".fd-ask__input")
    const status = box.querySelector(".fd-ask__status")
    form.hidden = false
    const warm = () => load(box.dataset.index).catch(() => {})
    input.addEventListener("focus", warm, { once: true })
    const ask = (question) => {
      status.textContent = "Searching the course…"
      load(box.dataset.index).then((index) => {
        render(box, index, question, index.search(question, box.dataset.lesson))
        remember(box.dataset.lesson, question)
      }, () => {
        box.querySelector(".fd-ask__answer").replaceChildren(element("p", { className: "fd-ask__none" },
          "The course's passages could not be loaded, so this box cannot answer here. The glossary and " +
          "the site's search still work."))
        status.textContent = "The passages could not be loaded."
      })
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault()
      const question = input.value.trim()
      if (!question) { status.textContent = "Type a question first."; return }
      ask(question)
    })
    // Following an answer's link reloads the page (instant navigation too): the question comes back
    // with its answers, so the learner can go back and try the next one.
    const last = recall(box.dataset.lesson)
    if (last) {
      input.value = last
      ask(last)
    }
    const copy = box.querySelector(".fd-ask__copy")
    const copied = box.querySelector(".fd-ask__copied")
    if (copy && navigator.clipboard) {
      copy.hidden = false
      copy.addEventListener("click", () => {
        const text = fetch(new URL(box.dataset.markdown, document.baseURI).href)
          .then((response) => { if (!response.ok) throw new Error(response.status); return response.text() })
          .then((markdown) => copy.dataset.instruction + "\n\n" + markdown)
        const done = (markdown) => {
          copied.textContent = "Copied: this lesson as Markdown, with a line asking the assistant to answer " +
            "from it only. Paste it into your assistant."
        }
        const failed = (error) => {
          copied.textContent = error instanceof Error && /^\d+$/.test(error.message)
            ? "The lesson's Markdown is missing from this copy of the site, so there is nothing to copy."
            : "Your browser did not allow copying. Open the lesson as Markdown (link above) and copy it from there."
        }
        // A ClipboardItem that waits for the text keeps the click's permission while the file loads.
        if (typeof ClipboardItem === "function" && navigator.clipboard.write) {
          const blob = text.then((markdown) => new Blob([markdown], { type: "text/plain" }))
          navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })])
            .then(() => text.then(done), () => text.then((markdown) => navigator.clipboard.writeText(markdown).then(() => done(markdown))).catch(failed))
        } else {
          text.then((markdown) => navigator.clipboard.writeText(markdown).then(() => done(markdown))).catch(failed)
        }
      })
    }
  }

  function mountAll() {
    document.querySelectorAll(".fd-ask__body[data-index]").forEach(mount)
  }

  if (typeof document$ !== "undefined") document$.subscribe(mountAll)
  else document.addEventListener("DOMContentLoaded", mountAll)
})()
