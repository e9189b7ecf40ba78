const { readdir, readFile, stat } = require('node:fs/promises');
const { join, relative, resolve } = require('node:path');
const { output } = require('@azure/functions');
const df = require('durable-functions');
const backupSiteContent = function* (context) {
  const rootDir = context.df.getInput();
  if (!rootDir) throw new Error('A directory path is required as an input.');
  const rootDirAbs = resolve(rootDir);
  const files = yield context.df.callActivity('getFileList', rootDirAbs);
  const tasks = files.map((file) => context.df.callActivity('copyFileToBlob', { backupPath: relative(rootDirAbs, file).replace('\\', '/'), filePath: file }));
  const results = yield context.df.Task.all(tasks);
  return results ? results.reduce((sum, n) => sum + n, 0) : 0;
};
df.app.orchestration('backupSiteContent', backupSiteContent);
const getFileList = async (rootDirectory, context) => {
  context.log(`Searching for files under '${rootDirectory}'...`);
  const entries = await readdir(rootDirectory, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
};
df.app.activity('getFileList', { handler: getFileList });
const blobOutput = output.storageBlob({ path: 'backups/{backupPath}', connection: 'StorageConnString' });
const copyFileToBlob = async ({ filePath }, context) => {
  const stats = await stat(filePath);
  context.extraOutputs.set(blobOutput, await readFile(filePath));
  return stats.size;
};
df.app.activity('copyFileToBlob', { extraOutputs: [blobOutput], handler: copyFileToBlob });
