/** Stage A (MIG) and Stage A' (grades, description grades, incremental refresh) of PLANT.md. */
export * from './presence';
export * from './mig';
export * from './grades';
export * from './description-grades';
export * from './incremental';
