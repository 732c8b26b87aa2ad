/**
 * The layers of the tree (docs/architecture.md), checked by `npm run deps` in `npm test`:
 * no cycle between files or between folders, and each layer imports only the ones below it.
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'no-file-cycle',
      severity: 'error',
      comment: 'A file never reaches itself through its imports, type-only imports included.',
      from: { path: '^(src|bench|test)/', pathNot: '^src/api/pg/' },
      to: { circular: true },
    },
    {
      // The Postgres-wire endpoint's session and extended protocol name each other's types (a
      // type-only cycle, gone at run time); until that is untangled, only runtime cycles fail there.
      name: 'no-runtime-file-cycle-in-pg',
      severity: 'error',
      from: { path: '^src/api/pg/' },
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'No folder of src reaches itself through its imports (layers point one way).',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'served-programs-stand-on-no-runtime',
      severity: 'error',
      comment: 'The served programs never start, stop or watch processes, nor read pid files.',
      from: { path: '^src/(api|ingest|sink|dedup)/' },
      to: { path: '^src/(stack|cli|supervisor|status)/' },
    },
    {
      name: 'stack-is-below-its-users',
      severity: 'error',
      comment: 'The stack runtime is used by cli, supervisor and status, never the reverse.',
      from: { path: '^src/stack/' },
      to: { path: '^src/(cli|supervisor|status)/' },
    },
    {
      name: 'flink-is-below-migrate',
      severity: 'error',
      comment: 'Migrations deploy Flink jobs; the Flink client knows nothing of migrations or replay.',
      from: { path: '^src/flink/' },
      to: { path: '^src/(migrate|replay)/' },
    },
    {
      name: 'shared-is-the-bottom',
      severity: 'error',
      comment: 'src/shared imports no other folder of src.',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'src-imports-no-test-or-bench',
      severity: 'error',
      comment: 'The product never depends on its tests or benchmarks.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'bench-imports-no-test',
      severity: 'error',
      comment: 'Benchmarks stand on src and their own modules; tests may import bench, never the reverse.',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'Every relative import names a file that exists.',
      from: {},
      to: { couldNotResolve: true, path: '^[.]' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|bench/results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
