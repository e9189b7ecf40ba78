/**
 * The entry module of the Function App Baton generates for one workflow, as the host
 * loads it (main thread and every activity worker): app settings name the graph and
 * the workload's functions module, as Azure app settings would.
 *   BATON_DURABLE_GRAPH      path of the workflow graph (JSON)
 *   BATON_DURABLE_FUNCTIONS  URL of the workload's functions module
 */
import { readFileSync } from 'node:fs';
import type { FunctionsModule, WorkflowNode } from '../../harness/model/index.ts';
import { registerApp } from './app.ts';

const graphFile = process.env['BATON_DURABLE_GRAPH'];
const functionsUrl = process.env['BATON_DURABLE_FUNCTIONS'];
if (!graphFile || !functionsUrl) throw new Error('the Baton Durable app needs BATON_DURABLE_GRAPH and BATON_DURABLE_FUNCTIONS');
const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as WorkflowNode;
const { functions } = (await import(functionsUrl)) as FunctionsModule;
registerApp(graph, functions);
