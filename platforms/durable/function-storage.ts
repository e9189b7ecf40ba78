/**
 * Storage for functions on Azure, as an activity sees it: objects as block blobs in a
 * container of the deployment's own, items as entities in Table storage tables of its own,
 * through the unmodified `@azure/storage-blob` and `@azure/data-tables` clients (Azurite
 * locally). App settings say where (BATON_STORAGE, set by the adapter at deploy).
 *
 * Each invocation's calls are billed as Azure bills them: a write operation per Put Blob, a
 * read per Get Blob, a list operation per page of List Blobs, a table transaction per
 * entity write or read and per page of a query.
 */
import { ContainerClient, RestError } from '@azure/storage-blob';
import { TableClient, odata } from '@azure/data-tables';
import { StorageKeyMissing, type NoSqlItem, type NoSqlStorage, type ObjectStorage } from '../../harness/model/index.ts';

export const STORAGE_SETTING = 'BATON_STORAGE';

/** What the app setting holds. */
export interface AzureStorageAddress {
  readonly connectionString: string;
  readonly container: string;
  /** The workload's table names -> the deployment's tables (Table storage names are letters and digits only). */
  readonly tables: Readonly<Record<string, string>>;
}

/** What backs ctx.storage and ctx.nosql on Durable, as `baton platforms` shows it. */
export const AZURE_FUNCTION_STORAGE = {
  objects: "block blobs in a container of the deployment's own (Azurite locally; --target cloud: unsupported)",
  items: "Table storage tables of the deployment's own (Azurite locally; --target cloud: unsupported)",
};

export interface AzureStorageBill {
  blobWrites: number;
  blobReads: number;
  blobLists: number;
  tableTransactions: number;
}

export function newAzureStorageBill(): AzureStorageBill {
  return { blobWrites: 0, blobReads: 0, blobLists: 0, tableTransactions: 0 };
}

/** The usage lines of a run's storage calls (the bills of all its activity runs). */
export function azureStorageUsage(bills: readonly AzureStorageBill[]): Record<string, number> {
  const total = (name: keyof AzureStorageBill) => bills.reduce((sum, b) => sum + b[name], 0);
  return {
    'azure.storage.blob.writeOperation': total('blobWrites'),
    'azure.storage.blob.readOperation': total('blobReads'),
    'azure.storage.blob.listOperation': total('blobLists'),
    'azure.storage.table.transaction': total('tableTransactions'),
  };
}

/**
 * Item attributes are stored under this prefix: Table storage keeps PartitionKey, RowKey and
 * Timestamp of its own (and the SDK adds etag), which an item's own names may equal.
 */
const ATTRIBUTE_PREFIX = 'v_';
/** Entities a query page returns at most (Table storage's own limit). */
const QUERY_PAGE = 1000;

export interface AzureFunctionStorage {
  for(bill: AzureStorageBill): { readonly objects: ObjectStorage; readonly items: NoSqlStorage };
}

export function azureStorageAt(address: AzureStorageAddress): AzureFunctionStorage {
  const container = new ContainerClient(address.connectionString, address.container);
  const local = /BlobEndpoint=http:\/\/127\.0\.0\.1/.test(address.connectionString);
  const tables = new Map(
    Object.entries(address.tables).map(([name, table]) => [
      name,
      TableClient.fromConnectionString(address.connectionString, table, { allowInsecureConnection: local }),
    ]),
  );
  const table = (name: string): TableClient => {
    const client = tables.get(name);
    if (!client) throw new Error(`storage: no table '${name}' (the workload's storage names ${[...tables.keys()].join(', ') || 'none'})`);
    return client;
  };
  return { for: (bill) => ({ objects: objectsIn(container, bill), items: itemsIn(table, bill) }) };
}

function objectsIn(container: ContainerClient, bill: AzureStorageBill): ObjectStorage {
  return {
    put: async (key, body) => {
      bill.blobWrites++;
      // One Put Blob: uploadData sends a body this small (up to 256 MiB) in one request.
      await container.getBlockBlobClient(key).uploadData(body, { blobHTTPHeaders: { blobContentType: 'application/octet-stream' } });
    },
    // One Get Blob (download), not downloadToBuffer, which first asks for the properties.
    get: async (key) => {
      bill.blobReads++;
      try {
        const answer = await container.getBlobClient(key).download();
        const chunks: Buffer[] = [];
        for await (const chunk of answer.readableStreamBody!) chunks.push(chunk as Buffer);
        return new Uint8Array(Buffer.concat(chunks));
      } catch (error) {
        if (error instanceof RestError && error.statusCode === 404) throw new StorageKeyMissing(key);
        throw error;
      }
    },
    // List Blobs returns names in lexicographic order, up to 5000 a page.
    list: async (prefix) => {
      const keys: string[] = [];
      for await (const page of container.listBlobsFlat({ prefix }).byPage({ maxPageSize: 5000 })) {
        bill.blobLists++;
        for (const blob of page.segment.blobItems) keys.push(blob.name);
      }
      return keys;
    },
  };
}

function itemsIn(table: (name: string) => TableClient, bill: AzureStorageBill): NoSqlStorage {
  return {
    put: async (name, { partition, sort }, item) => {
      const client = table(name);
      bill.tableTransactions++;
      await client.upsertEntity({ partitionKey: partition, rowKey: sort, ...stored(item) }, 'Replace');
    },
    get: async (name, { partition, sort }) => {
      const client = table(name);
      bill.tableTransactions++;
      try {
        return itemOf(await client.getEntity(partition, sort));
      } catch (error) {
        if (error instanceof RestError && error.statusCode === 404) return undefined;
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
    // Entities come in PartitionKey, then RowKey order: the sort key's.
    query: async (name, partition) => {
      const client = table(name);
      const found: { sort: string; item: NoSqlItem }[] = [];
      const pages = client.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partition}` } }).byPage({ maxPageSize: QUERY_PAGE });
      for await (const page of pages) {
        bill.tableTransactions++;
        for (const entity of page) found.push({ sort: entity.rowKey!, item: itemOf(entity) });
      }
      return found;
    },
  };
}

function stored(item: NoSqlItem): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [ATTRIBUTE_PREFIX + name, value]));
}

function itemOf(entity: Record<string, unknown>): NoSqlItem {
  const item: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(entity)) {
    if (!name.startsWith(ATTRIBUTE_PREFIX)) continue; // PartitionKey, RowKey, Timestamp, etag, odata.metadata
    item[name.slice(ATTRIBUTE_PREFIX.length)] = value as string | number | boolean;
  }
  return item;
}
