/** Fault scenario: SIGKILL ingest (clients resend). Every final count must equal the ledger, healed with no person. */
import { describeFault } from './describe-fault.ts';

describeFault('SIGKILL ingest (clients resend)');
