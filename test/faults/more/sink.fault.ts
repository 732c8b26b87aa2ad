/** Fault scenario: SIGKILL sink. Every final count must equal the ledger, healed with no person. */
import { describeFault } from '../describe-fault.ts';

describeFault('SIGKILL sink');
