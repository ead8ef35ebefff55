// Answers 'pong': the workflow worker's readiness probe runs it to prove that the task queue is
// polled and workflow tasks complete, end to end through the Temporal server.
export async function ping(): Promise<'pong'> {
  return 'pong';
}
