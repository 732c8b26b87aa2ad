/** The test Redis Cluster lives with the benchmarks, which use it too (bench never imports test/). */
export {
  cli,
  clusterInfo,
  clusterOk,
  startRedisCluster,
  startStandaloneRedis,
  signalNode,
  until,
} from '../../bench/support/redis-cluster.ts';
export type { ClusterNode, TestCluster } from '../../bench/support/redis-cluster.ts';
export {
  biggestMaster,
  clusterNodes,
  killMasterAndFailover,
  nodeAt,
  rejoinEmptyAsReplica,
  replicaOf,
} from '../../bench/support/redis-cluster-nodes.ts';
