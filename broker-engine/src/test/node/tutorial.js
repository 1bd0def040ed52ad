'use strict';
// What every tutorial script shares: the broker address, the per-test name suffix, and the output.
// The Java interop drivers read stdout line by line, so each line is a small machine-readable record
// (READY, SENT <body>, RECEIVED <body> redelivered=<bool>, ...).

const amqp = require('amqplib');

/** Parses --name=value / --name value options; everything else is positional. */
function parseArguments(argv) {
  const options = { host: '127.0.0.1', port: '5672', suffix: '' };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    if (equals > 0) {
      options[arg.slice(2, equals)] = arg.slice(equals + 1);
    } else {
      options[arg.slice(2)] = argv[++i];
    }
  }
  return { options, positional };
}

const { options, positional } = parseArguments(process.argv.slice(2));

function connect() {
  return amqp.connect(`amqp://guest:guest@${options.host}:${options.port}`);
}

function name(base) {
  return base + options.suffix;
}

function emit(...fields) {
  process.stdout.write(fields.join(' ') + '\n');
}

/** Runs the script's body; any failure is printed and ends the process with status 1. */
function run(body) {
  body().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { options, positional, connect, name, emit, run };
