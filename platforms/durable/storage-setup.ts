/**
 * The adapter's side of storage for functions on Azure: at deploy, a blob container and a
 * table per workload table, the deployment's own, and the workload's objects uploaded (as
 * SeBS's input step does); at teardown, all of it removed.
 */
import { ContainerClient } from '@azure/storage-blob';
import { TableClient } from '@azure/data-tables';
import type { StorageSpec } from '../../harness/model/index.ts';
import { STORAGE_SETTING, type AzureStorageAddress } from './function-storage.ts';

export interface DeployedAzureStorage {
  readonly address: AzureStorageAddress;
  /** The app setting the activities read. */
  readonly settings: Readonly<Record<string, string>>;
  remove(): Promise<void>;
}

const UPLOADS_IN_FLIGHT = 16;

export async function deployAzureStorage(connectionString: string, tag: string, spec: StorageSpec): Promise<DeployedAzureStorage> {
  const local = /BlobEndpoint=http:\/\/127\.0\.0\.1/.test(connectionString);
  // Container names: 3-63 of lowercase letters, digits and '-'; table names: 3-63 letters and digits, a letter first.
  const container = new ContainerClient(connectionString, `baton-${tag}-storage`);
  const tables = Object.fromEntries(spec.tables.map((t, i) => [t, `baton${tag}t${i}`]));
  const tableClients = Object.values(tables).map((t) => TableClient.fromConnectionString(connectionString, t, { allowInsecureConnection: local }));
  const made = { container: false, tables: [] as TableClient[] };
  const remove = async (): Promise<void> => {
    const failures: string[] = [];
    if (made.container) await container.delete().catch((error: Error) => void failures.push(error.message));
    for (const client of made.tables) await client.deleteTable().catch((error: Error) => void failures.push(error.message));
    if (failures.length > 0) throw new Error(`storage for functions: could not remove all of it: ${failures.join('; ')}`);
  };
  try {
    await container.create();
    made.container = true;
    const entries = Object.entries(spec.objects);
    for (let i = 0; i < entries.length; i += UPLOADS_IN_FLIGHT)
      await Promise.all(entries.slice(i, i + UPLOADS_IN_FLIGHT).map(([key, body]) => container.getBlockBlobClient(key).uploadData(body)));
    for (const client of tableClients) {
      made.tables.push(client);
      await client.createTable();
    }
  } catch (error) {
    await remove().catch(() => {}); // the deploy's own error is the one to report
    throw error;
  }
  const address: AzureStorageAddress = { connectionString, container: container.containerName, tables };
  return { address, settings: { [STORAGE_SETTING]: JSON.stringify(address) }, remove };
}
