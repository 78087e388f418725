// Vitest global setup: runs once per project in the main process, so a lone clone prints one line, not one per file.
import { hasFixtures, missingFixturesLine } from './fixtures';

export default function setup(): void {
  if (!hasFixtures) console.log(missingFixturesLine);
}
