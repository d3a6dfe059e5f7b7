/** The longest name (ids, model, environment, stage, label key) a record or event may carry. */
export const MAX_NAME = 256;
/** The longest label or attribute string value. */
export const MAX_VALUE = 1024;
