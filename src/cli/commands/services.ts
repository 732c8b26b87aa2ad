/** `tollbooth services up | down | stop | status | logs | systemd [name...]` */
import type { Config } from '../../shared/config.ts';
import { tail } from '../../stack/process.ts';
import { processesNamed, servicesDown, servicesStatus, servicesUp, stopProcesses } from '../../stack/stack.ts';
import { isApp, appProcessName } from '../../supervisor/programs.ts';
import { startSupervisor, stopEverySupervisorAndApp } from '../../supervisor/control.ts';
import { systemdUnits } from '../../supervisor/systemd.ts';
import type { Invocation } from '../args.ts';

const progress = (m: string) => process.stderr.write(`• ${m}\n`);
export async function run(inv: Invocation, config: Config): Promise<number> {
  const names = inv.positionals;
  switch (inv.path[1]) {
    case 'up': {
      const started = Date.now();
      const reports = await servicesUp(config, names, progress);
      for (const r of reports) console.log(`${r.ok ? 'up  ' : 'DOWN'} ${r.name.padEnd(10)} ${r.endpoint}  ${r.detail}`);
      // The stack's supervisor restarts what dies from now on; a prefixed (test) run gets none here.
      if (config.kafka.topicPrefix === '')
        console.log(`supervisor: pid ${await startSupervisor(config, { services: true, apps: [] })}`);
      console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return reports.every((r) => r.ok) ? 0 : 1;
    }
    case 'down':
      if (names.length > 0) return stop(config, names);
      // The supervisors first, or they would restart what we stop.
      await stopEverySupervisorAndApp(config, progress);
      await servicesDown(config, [], progress);
      return 0;
    case 'stop':
      return stop(config, names);
    case 'status':
      for (const s of servicesStatus(config, names)) {
        const state = s.pid === undefined ? 'stopped' : `running (pid ${s.pid})`;
        console.log(`${s.process.padEnd(18)} ${state.padEnd(22)} ${s.endpoint}\n${' '.repeat(19)}log: ${s.log}`);
      }
      return 0;
    case 'logs':
      for (const s of servicesStatus(config, names)) console.log(`--- ${s.process} (${s.log})\n${tail(s.log, 40)}`);
      return 0;
    case 'systemd':
      console.log(systemdUnits(config));
      return 0;
    default:
      return 2;
  }
}

/** Stops processes on purpose: the supervisor sees their pid files gone and leaves them down. */
async function stop(config: Config, names: string[]): Promise<number> {
  const procs = processesNamed(names.filter((n) => !isApp(n)));
  if (typeof procs === 'string') {
    process.stderr.write(`tollbooth: ${procs}\n`);
    return 2;
  }
  const apps = names.filter(isApp).map((a) => appProcessName(config, a));
  await stopProcesses(config, [...apps, ...procs], progress);
  return 0;
}
