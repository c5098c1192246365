/** Evaluation metrics of PLANT.md §3 (pure functions). */
export * from './scores';
export * from './ranking';
export * from './classification';
export * from './auc';
export * from './buckets';
export * from './thresholds';
export * from './group-thresholds';
export * from './evaluate';
