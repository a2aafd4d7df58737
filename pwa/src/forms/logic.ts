/**
 * JSON Logic in the browser: json-logic-js 2.0.5, the reference implementation.
 * The server evaluates the same rules with the same semantics; both pass the
 * public conformance suite (tests/conformance/jsonlogic-tests.json).
 */

import jsonLogic from 'json-logic-js';

export type Rule = unknown;

export function evaluate(rule: Rule, data: unknown): unknown {
  return jsonLogic.apply(rule as jsonLogic.RulesLogic, data);
}

/** JSON Logic truthiness: an empty array is false, "0" is true. */
export function truthy(value: unknown): boolean {
  return jsonLogic.truthy(value);
}

/** Evaluate, treating a rule that fails on odd data as null (as the server does). */
export function safeEvaluate(rule: Rule, data: unknown): unknown {
  try {
    return evaluate(rule, data);
  } catch {
    return null;
  }
}
