/** Fault scenario: Redis restart (AOF). Every final count must equal the ledger, healed with no person. */
import { describeFault } from '../describe-fault.ts';

describeFault('Redis restart (AOF)');
