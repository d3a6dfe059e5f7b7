/** A number in [0, 1); spreads retries. Injected so that tests can pin it. */
export type Random = () => number;

/** Math.random: the only place that draws randomness outside the seeded sample generator. */
export const systemRandom: Random = () => Math.random();
