/** The process-wide structured logger (JSON lines on stderr). */
import pino from 'pino';

export const logger = pino({ level: 'info', base: undefined }, pino.destination(2));
export type Logger = typeof logger;
