// Stops `npm start` and `npm test` at once, with one clear line, on a Node.js older than the
// one CIMORINGS needs, instead of a stack trace from deep inside a dependency. Plain JavaScript
// that any Node.js can parse, and nothing imported: it must run where the rest cannot.
const REQUIRED = [22, 12];

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < REQUIRED[0] || (major === REQUIRED[0] && minor < REQUIRED[1])) {
  process.stderr.write(
    'CIMORINGS needs Node.js ' +
      REQUIRED.join('.') +
      ' or later (22 LTS or 24 LTS); this is Node.js ' +
      process.versions.node +
      ' at ' +
      process.execPath +
      '.\nInstall a current Node.js (see "Node.js" in README.md) and run the command again.\n',
  );
  process.exit(1);
}
