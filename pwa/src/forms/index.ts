/**
 * The form engine as the app ships it: a separate chunk of the build, loaded by the
 * screens that fill in a procedure (and by the browser tests, which check that what
 * is shipped agrees with the server).
 */

export { evaluate, safeEvaluate, toJson, truthy } from './logic';
export { visibility } from './visibility';
export type { FieldDefinition, FormDefinition, Visibility } from './visibility';
