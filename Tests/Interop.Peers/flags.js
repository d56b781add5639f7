'use strict';
// Parses the interop-style `--name=value` flags. Unknown flags are an error rather than
// ignored, so a typo in a test harness fails loudly instead of running the wrong case.
function parseFlags(argv, defaults) {
  const flags = { ...defaults };
  for (const arg of argv) {
    const match = /^--([a-z_]+)=(.*)$/s.exec(arg);
    if (!match || !(match[1] in defaults)) {
      throw new Error(`unknown argument ${arg}; expected ${Object.keys(defaults).map((k) => `--${k}=`).join(' ')}`);
    }
    flags[match[1]] = match[2];
  }
  return flags;
}

module.exports = { parseFlags };
