/** `tollbooth images build [PART...] | configure [--out DIR]` */
import type { Config } from '../../shared/config.ts';
import { writeContainerConfigs } from '../../stack/images/container-config.ts';
import { buildImages, IMAGE_PARTS, imageName, type ImagePart } from '../../stack/images/build.ts';
import { runCommand } from '../../stack/run.ts';
import { option, refuse, type Invocation } from '../args.ts';

const progress = (m: string) => process.stderr.write(`• ${m}\n`);
const isPart = (name: string): name is ImagePart => (IMAGE_PARTS as readonly string[]).includes(name);

async function build(inv: Invocation, config: Config): Promise<number> {
  const unknown = inv.positionals.filter((n) => !isPart(n));
  if (unknown.length > 0)
    return refuse(inv.path, `unknown image(s): ${unknown.join(', ')} (${IMAGE_PARTS.join(', ')})`);
  const answers = await runCommand('docker', ['version', '--format', '{{.Server.Version}}']).then(
    () => true,
    () => false,
  );
  if (!answers) {
    process.stderr.write(
      'tollbooth: no Docker engine answers; install docker.io and start dockerd (docs/containers.md)\n',
    );
    return 1;
  }
  const parts = inv.positionals.length > 0 ? inv.positionals.filter(isPart) : IMAGE_PARTS;
  // The images others are built on come along when a part needs them and they are missing.
  const wanted: ImagePart[] = parts.some((p) => p === 'kafka' || p === 'flink' || p === 'zookeeper')
    ? ['jre', ...parts]
    : [...parts];
  const started = Date.now();
  for (const image of await buildImages(config, [...new Set(wanted)], progress)) {
    const mb = (image.bytes / 1e6).toFixed(0);
    console.log(
      `${imageName(image.part, config.images.tag).padEnd(28)} ${`${mb} MB`.padStart(8)}  built in ${image.seconds.toFixed(1)} s`,
    );
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}

export async function run(inv: Invocation, config: Config): Promise<number> {
  switch (inv.path[1]) {
    case 'build':
      return build(inv, config);
    case 'configure': {
      const out = option(inv, 'out') ?? '/etc/tollbooth';
      const files = writeContainerConfigs(config, out, option(inv, 'taskmanager-host') ?? 'taskmanager');
      for (const file of files) console.log(file);
      return 0;
    }
    default:
      return 2;
  }
}
