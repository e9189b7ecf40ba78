/**
 * Storage for functions on Azure, against Azurite through the unmodified Blob and Table
 * clients: what an activity sees (the shared interface: a missing key, sort order, query
 * pages, item values as they went in, whatever their names), what each call is billed for,
 * a deployment's storage made and removed whole, and an emulator only its user gets into
 * that stops with the process that started it.
 */
import { spawn } from 'node:child_process';
import { BlobServiceClient } from '@azure/storage-blob';
import { TableServiceClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageKeyMissing } from '../../harness/model/index.ts';
import { startLocalAzureStorage, type LocalAzureStorage } from './local/azure-storage.ts';
import { deployAzureStorage, type DeployedAzureStorage } from './storage-setup.ts';
import { azureStorageAt, azureStorageUsage, newAzureStorageBill, type AzureFunctionStorage } from './function-storage.ts';

let azurite: LocalAzureStorage;
let deployed: DeployedAzureStorage;
let storage: AzureFunctionStorage;

beforeAll(async () => {
  azurite = await startLocalAzureStorage();
  deployed = await deployAzureStorage(azurite.connectionString, '0123abcd', {
    objects: { 'input/a.txt': new TextEncoder().encode('hello') },
    tables: ['scores', 'other_table'],
  });
  storage = azureStorageAt(deployed.address);
}, 60_000);
afterAll(() => azurite.close());

describe('storage for functions on Azure (Azurite)', () => {
  it('reads what the deploy uploaded, names a missing key, and lists by prefix in order', async () => {
    const bill = newAzureStorageBill();
    const { objects } = storage.for(bill);
    expect(new TextDecoder().decode(await objects.get('input/a.txt'))).toBe('hello');
    await expect(objects.get('input/none')).rejects.toBeInstanceOf(StorageKeyMissing);
    for (const key of ['b/2', 'a/1', 'a-c', 'a/0', 'a']) await objects.put(key, new Uint8Array([key.length]));
    expect(await objects.list('a')).toEqual(['a', 'a-c', 'a/0', 'a/1']);
    expect(await objects.list('zzz')).toEqual([]);
    expect([...(await objects.get('a/1'))]).toEqual([3]);
    expect(bill).toEqual({ blobWrites: 5, blobReads: 3, blobLists: 2, tableTransactions: 0 });
  });

  it('keeps items with their values and types, whatever their names, and queries past a page in sort order', async () => {
    const bill = newAzureStorageBill();
    const { items } = storage.for(bill);
    const item = { n: 3, big: 5_000_000_000, f: 1.5, neg: -7, ok: false, s: 'x', timestamp: 'mine', etag: 'mine too', partitionKey: 'not the key' };
    await items.put('scores', { partition: 'chr21', sort: 'rs1' }, item);
    expect(await items.get('scores', { partition: 'chr21', sort: 'rs1' })).toEqual(item);
    expect(await items.get('scores', { partition: 'chr21', sort: 'none' })).toBeUndefined();
    await items.put('scores', { partition: 'chr21', sort: 'rs1' }, { n: 4 }); // replaces the whole item
    expect(await items.get('scores', { partition: 'chr21', sort: 'rs1' })).toEqual({ n: 4 });
    // 1005 items: a query page holds 1000.
    const sorts = Array.from({ length: 1005 }, (_, i) => `s${String(i).padStart(4, '0')}`);
    for (let i = 0; i < sorts.length; i += 25)
      await Promise.all(sorts.slice(i, i + 25).map((sort, j) => items.put('other_table', { partition: 'p', sort }, { i: i + j })));
    const found = await items.query('other_table', 'p');
    expect(found.map((f) => f.sort)).toEqual(sorts);
    expect(found[1004]!.item).toEqual({ i: 1004 });
    expect(await items.query('other_table', 'empty')).toEqual([]);
    await expect(items.put('nope', { partition: 'p', sort: 's' }, {})).rejects.toThrow(/no table 'nope'/);
    // 2 puts, 3 gets, 1005 puts, a query of 2 pages and one of 1.
    expect(bill.tableTransactions).toBe(2 + 3 + 1005 + 2 + 1);
    expect(azureStorageUsage([bill])['azure.storage.table.transaction']).toBe(bill.tableTransactions);
  }, 120_000);

  it("lets in only requests signed with the run's key: not the emulator's well-known one", async () => {
    const wellKnown = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
    for (const key of [wellKnown, Buffer.alloc(32).toString('base64')]) {
      const other = BlobServiceClient.fromConnectionString(azurite.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${key}`));
      await expect(other.getContainerClient(deployed.address.container).getBlobClient('input/a.txt').download()).rejects.toMatchObject({ statusCode: 403 });
    }
    const anonymous = await fetch(`${azurite.blobUrl}/${deployed.address.container}/input/a.txt`);
    expect(anonymous.status).not.toBe(200);
  });

  it('removes the container and every table at teardown', async () => {
    await deployed.remove();
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const containers: string[] = [];
    for await (const c of blobs.listContainers()) containers.push(c.name);
    expect(containers).not.toContain(deployed.address.container);
    const tables: string[] = [];
    for await (const t of TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true }).listTables())
      tables.push(t.name!);
    expect(tables).toEqual([]);
  });

  it('stops when the process that started it is killed', async () => {
    const script = `import { startLocalAzureStorage } from ${JSON.stringify(new URL('./local/azure-storage.ts', import.meta.url).href)};
      const a = await startLocalAzureStorage(); console.log(a.blobUrl); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const blobUrl = await new Promise<string>((resolve, reject) => {
      parent.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
      parent.once('exit', (code) => reject(new Error(`the parent exited (code ${code}) before Azurite served`)));
    });
    expect((await fetch(blobUrl)).status).toBeGreaterThan(0); // it serves
    parent.kill('SIGKILL');
    let serving = true;
    for (let i = 0; i < 100 && serving; i++) {
      await new Promise((r) => setTimeout(r, 100));
      serving = await fetch(blobUrl).then(
        () => true,
        () => false,
      );
    }
    expect(serving).toBe(false);
  });
});
