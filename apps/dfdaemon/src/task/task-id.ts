// Task ids are part of the wire contract, so their one implementation lives in @df/proto.
export {
  DEFAULT_FILTERED_QUERY_PARAMS,
  normalizeUrl,
  taskId,
  TASK_ID_PATTERN,
  type TaskIdInput,
} from "@df/proto/task-id";
