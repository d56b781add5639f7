'use strict';
// One server reflection request on a stream of its own, answered by one response: servers may skip files already sent
// on a stream, and each answer must stand on its own.
function reflect(reflection, request, options) {
  return new Promise((resolve, reject) => {
    const call = reflection.ServerReflectionInfo(options);
    let response = null;
    call.on('data', (r) => { response = r; });
    call.on('error', reject);
    call.on('end', () => (response ? resolve(response) : reject(new Error('stream ended without a response'))));
    call.write({ host: '', ...request });
    call.end();
  });
}

module.exports = { reflect };
