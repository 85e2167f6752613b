// Scores one address with the MDN HTTP Observatory's own rules (@mdn/mdn-http-observatory, its
// retriever, tests and grader), offline: its command line scans "https://HOST/" only, so this is
// its scan() with a port and a path. Run by bench/observatory.py:
//   NODE_EXTRA_CA_CERTS=cert.pem node bench/observatory.mjs PACKAGE_DIR HOST HTTP_PORT HTTPS_PORT PATH
import path from "node:path";
import { pathToFileURL } from "node:url";

const [packageDir, host, httpPort, httpsPort, urlPath] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(path.join(packageDir, "src", file)).href);
const { retrieve } = await load("retriever/retriever.js");
const { ALL_TESTS, NUM_TESTS } = await load("constants.js");
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await load("grader/charts.js");
const { getGradeForScore, getScoreModifier } = await load("grader/grader.js");

const requests = await retrieve(host, { httpPort, httpsPort, path: urlPath });
if (!requests.responses.auto) {
  console.log(JSON.stringify({ error: "no answer" }));
  process.exit(1);
}
let withExtraCredit = 100;
let uncurved = 100;
let passed = 0;
const tests = {};
for (const test of ALL_TESTS) {
  const result = test(requests);
  const modifier = result.result ? getScoreModifier(result.result) : 0;
  withExtraCredit += modifier;
  if (modifier < 0) uncurved += modifier;
  passed += result.pass ? 1 : 0;
  tests[result.constructor.name] = { pass: result.pass, result: result.result, scoreModifier: modifier };
}
const final = getGradeForScore(uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved);
console.log(JSON.stringify({
  grade: final.grade, score: final.score, status: requests.responses.auto.status,
  verified: requests.responses.auto.verified, testsPassed: passed, testsQuantity: NUM_TESTS, tests,
}));
