/** Fault scenario: SIGKILL Flink JobManager. Every final count must equal the ledger, healed with no person. */
import { describeFault } from '../describe-fault.ts';

describeFault('SIGKILL Flink JobManager');
