import { useApi } from "../api.js";
import type { AttemptTrace } from "../api-types.js";
import { ErrorNotice, Loading } from "../components/status.js";
import { AttemptDetails } from "./attempt/attempt-details.js";
import { AttemptHeader } from "./attempt/attempt-header.js";
import { Waterfall } from "./attempt/waterfall.js";

export function AttemptPage({ id }: { id: string }) {
  const trace = useApi<AttemptTrace>(`/api/v1/attempts/${encodeURIComponent(id)}/trace`);
  if (trace.state === "error")
    return <ErrorNotice error={trace.error} what={`the attempt "${id}"`} retry={trace.reload} />;
  if (trace.data === undefined) return <Loading what={`the attempt "${id}"`} />;
  return (
    <>
      <AttemptHeader trace={trace.data} />
      <section className="card" aria-labelledby="wf-heading">
        <h2 id="wf-heading">Trace</h2>
        <Waterfall trace={trace.data} />
      </section>
      <AttemptDetails attempt={trace.data.attempt} />
    </>
  );
}
