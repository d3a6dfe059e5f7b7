import type { Loadable } from "../../api.js";
import type { Histogram, SloStatus } from "../../api-types.js";
import { Chart } from "../../components/chart.js";
import { ErrorNotice, Loading } from "../../components/status.js";
import { duration } from "../../format.js";
import { palette } from "../../palette.js";
import { useTheme } from "../../theme.js";
import { measuredLabel, subjectCount } from "./indicator-text.js";

function HistogramChart({ histogram, slo }: { histogram: Histogram; slo: SloStatus }) {
  const colors = palette(useTheme());
  return (
    <>
      <p className="sub" data-field="histogram-total">
        {subjectCount(slo.indicator, histogram.total)}, in the window;{" "}
        {histogram.overflow > 0 ? `${histogram.overflow} beyond the chart, ` : ""}
        {histogram.withoutDuration} counted without a duration (failed).
      </p>
      <Chart
        ariaLabel={`Histogram of ${measuredLabel(slo.indicator).toLowerCase()}s with the threshold`}
        time={false}
        bars
        x={histogram.edges.slice(0, -1)}
        series={[
          {
            label: "count",
            values: histogram.counts,
            color: colors.accent,
            fill: colors.accent,
          },
        ]}
        xFormat={(v) => duration(v)}
        durationAxis="x"
        xMarker={{ at: histogram.thresholdSeconds, label: "threshold", color: colors.threshold }}
      />
    </>
  );
}

/** The durations behind the percentiles, binned, as of the page's instant. */
export function HistogramCard({
  histogram,
  slo,
}: {
  histogram: Loadable<Histogram> & { reload(): void };
  slo: SloStatus;
}) {
  return (
    <section className="card" aria-labelledby="histogram-heading">
      <h2 id="histogram-heading">{measuredLabel(slo.indicator)} histogram</h2>
      {histogram.data !== undefined ? (
        <HistogramChart histogram={histogram.data} slo={slo} />
      ) : histogram.state === "error" ? (
        <ErrorNotice error={histogram.error} what="the histogram" retry={histogram.reload} />
      ) : (
        <Loading what="histogram" />
      )}
    </section>
  );
}
