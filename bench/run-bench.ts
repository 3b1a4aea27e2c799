/**
 * A benchmark script's last step: runs `main`; a failure is printed and sets
 * exit code 1; `cleanUp` runs either way (its own failure is printed); then
 * the process exits, so pooled sockets (fetch keep-alive, database and Redis
 * drivers) cannot keep a finished benchmark alive.
 */
export async function runBench(main: () => Promise<void>, cleanUp: () => Promise<void>): Promise<never> {
  try {
    await main();
  } catch (err) {
    process.exitCode = 1;
    console.error(err);
  } finally {
    await cleanUp().catch((err: unknown) => console.error('clean-up failed:', err));
  }
  process.exit();
}
