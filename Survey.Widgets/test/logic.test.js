// The JS evaluator agrees with the server's C# evaluator on every case of the shared table
// (Survey.Tests/Fixtures/logic/shared-cases.json, also run by Survey.Tests/Domain/Logic/SharedCasesTests.cs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { compile, isTrue } from "../src/logic.js";

const cases = JSON.parse(readFileSync(new URL("../../Survey.Tests/Fixtures/logic/shared-cases.json", import.meta.url), "utf8"));

// What the C# evaluator hands out: NaN and infinities become null (also inside lists).
const publicValue = (v) => (Array.isArray(v) ? v.map(publicValue) : typeof v == "number" && !Number.isFinite(v) ? null : v);

test("the shared table has at least 150 cases", () => assert.ok(cases.length >= 150, `${cases.length} cases`));

for (const c of cases) {
  test(`${c.expression || "(empty)"} with ${JSON.stringify(c.values)}`, () => {
    if (c.error) {
      assert.throws(() => compile(c.expression), SyntaxError);
      assert.equal(isTrue(c.expression, c.values), false);
      return;
    }
    const f = compile(c.expression);
    const actual = publicValue(f(c.values));
    assert.deepEqual(actual === -0 ? 0 : actual, c.expected);
    assert.equal(isTrue(c.expression, c.values), c.expected == true);
  });
}
