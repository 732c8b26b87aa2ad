/** Fault scenario: SIGKILL Kafka broker. Every final count must equal the ledger, healed with no person. */
import { describeFault } from './describe-fault.ts';

describeFault('SIGKILL Kafka broker');
