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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A value as JSON carries it (and as the server stores it): undefined, NaN and the
 * infinities become null, lone surrogates U+FFFD. */
export function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'string' ? item.replace(LONE_SURROGATE, '\uFFFD') : item,
  );
  return text === undefined ? null : JSON.parse(text);
}
