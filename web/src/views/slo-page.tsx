import { Empty, ErrorNotice, FirstAttemptHelp, Loading } from "../components/status.js";
import { HistogramCard } from "./slo/histogram-card.js";
import { HistoryCards } from "./slo/history-cards.js";
import { PolicyCard, SloAuditCard } from "./slo/policy-card.js";
import { SloAttemptsCard } from "./slo/slo-attempts-card.js";
import { BurnDownCard } from "./slo/slo-charts.js";
import { SloHeader } from "./slo/slo-header.js";
import { SloSummary } from "./slo/slo-summary.js";
import { useSloPageData } from "./slo/use-slo-page-data.js";

export function SloPage({ name }: { name: string }) {
  const { at, detail, history, histogram, attempts, audit, sloState } = useSloPageData(name);
  if (detail.state === "error" && detail.data === undefined) {
    return <ErrorNotice error={detail.error} what={`the SLO "${name}"`} retry={detail.reload} />;
  }
  if (detail.data === undefined) return <Loading what={`the SLO "${name}"`} />;
  const slo = detail.data.slo;
  return (
    <>
      <SloHeader slo={slo} state={sloState} at={at} />
      <SloSummary slo={slo} state={sloState} />
      <PolicyCard name={name} policy={detail.data.policy} />
      {slo.eligible === 0 && slo.inProgress === 0 ? (
        <Empty title="Nothing counted in this window yet">
          <FirstAttemptHelp />
        </Empty>
      ) : null}
      <div className="grid-2">
        <BurnDownCard slo={slo} history={detail.data.history} />
        <HistoryCards slo={slo} history={history} />
        <HistogramCard histogram={histogram} slo={slo} />
      </div>
      <SloAuditCard audit={audit} />
      <SloAttemptsCard attempts={attempts} slo={slo} />
    </>
  );
}
