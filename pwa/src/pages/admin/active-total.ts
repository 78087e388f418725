// An annotator's total active time for the dashboard: minutes while it is short, hours once an admin
// would otherwise divide by 60 (a real project reaches hundreds of hours: "25348.1 min" was unreadable).

export function activeTotal(ms: number): string {
  const minutes = ms / 60_000;
  return minutes < 120 ? `${minutes.toFixed(1)} min` : `${(minutes / 60).toFixed(1)} h`;
}
