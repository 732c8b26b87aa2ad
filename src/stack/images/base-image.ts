/**
 * The base every image builds FROM: `debian:bookworm`. Where no registry can be reached it is
 * made here from Debian's packages: debootstrap (minbase) into a folder, then `docker import`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aptInstall, hasBinary } from '../apt.ts';
import { runCommand } from '../run.ts';

export const BASE_IMAGE = 'debian:bookworm';

export async function imageExists(name: string): Promise<boolean> {
  return runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', name]).then(
    () => true,
    () => false,
  );
}

/** Makes debian:bookworm unless it is present; true when it had to be made. */
export async function ensureBaseImage(progress: (m: string) => void): Promise<boolean> {
  if (await imageExists(BASE_IMAGE)) return false;
  if (!hasBinary('/usr/sbin/debootstrap')) await aptInstall(['debootstrap'], progress);
  const dir = mkdtempSync(path.join(tmpdir(), 'tollbooth-base-'));
  const rootfs = path.join(dir, 'rootfs');
  try {
    progress(`debootstrap --variant=minbase bookworm (about a minute)`);
    await runCommand('debootstrap', ['--variant=minbase', 'bookworm', rootfs, 'http://deb.debian.org/debian']);
    // The downloaded .deb files are not part of the system.
    await runCommand('bash', ['-c', `rm -rf ${rootfs}/var/cache/apt/archives/*.deb ${rootfs}/var/lib/apt/lists/*`]);
    progress(`docker import ${BASE_IMAGE}`);
    await runCommand('bash', ['-c', `tar -C ${rootfs} -c . | docker import - ${BASE_IMAGE}`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return true;
}
