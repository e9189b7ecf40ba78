/** Order and sinks of a DAG's tasks, as the model defines them (dag nodes). */

/** Tasks ordered so that every task comes after its parents; throws on a cycle or unknown parent. */
export function topologicalOrder<T extends { id: string; after: readonly string[] }>(tasks: readonly T[]): T[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const order: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (task: T): void => {
    if (state.get(task.id) === 'done') return;
    if (state.get(task.id) === 'visiting') throw new Error(`dag: cycle through task '${task.id}'`);
    state.set(task.id, 'visiting');
    for (const parent of task.after) {
      const p = byId.get(parent);
      if (!p) throw new Error(`dag: task '${task.id}' depends on unknown task '${parent}'`);
      visit(p);
    }
    state.set(task.id, 'done');
    order.push(task);
  };
  tasks.forEach(visit);
  return order;
}

export function dagSinks(tasks: readonly { id: string; after: readonly string[] }[]): string[] {
  const parents = new Set(tasks.flatMap((t) => t.after));
  return tasks.filter((t) => !parents.has(t.id)).map((t) => t.id);
}
