/** The test prefix and polling live with the benchmarks, which use them too (bench never imports test/). */
export { TEST_PREFIX_ROOT, assertTestResource, eventually, testPrefix } from '../../bench/support/prefix.ts';
