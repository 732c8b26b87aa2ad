/** Fault scenario: SIGKILL ClickHouse. Every final count must equal the ledger, healed with no person. */
import { describeFault } from '../describe-fault.ts';

describeFault('SIGKILL ClickHouse');
