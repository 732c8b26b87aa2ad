/** Fault scenario: SIGKILL TaskManager, then Kafka 5 s later. Every final count must equal the ledger, healed with no person. */
import { describeFault } from '../describe-fault.ts';

describeFault('SIGKILL TaskManager, then Kafka 5 s later');
