/** The HTTP starter of a deployed Baton app: POST /api/baton/start with the workflow input. */
import * as df from 'durable-functions';
import { WORKFLOW_ORCHESTRATOR } from './orchestrator.ts';

export function registerStarter(): void {
  df.app.client.http('BatonStart', {
    route: 'baton/start',
    methods: ['POST'],
    handler: async (request, client) => {
      const id = await client.startNew(WORKFLOW_ORCHESTRATOR, { input: await request.json() });
      return client.createCheckStatusResponse(request, id);
    },
  });
}
