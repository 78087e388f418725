// "Download CSV" for one dashboard table: the rows the page already shows, as a file (no request).
import { Download } from 'lucide-preact';
import { useQualityMessages } from '../review/messages';
import { type CsvCell, toCsv } from './csv';

export function CsvButton({ name, header, rows }: { name: string; header: readonly string[]; rows: readonly (readonly CsvCell[])[] }) {
  const t = useQualityMessages();
  const download = () => {
    // The BOM makes spreadsheet programs read the file as UTF-8 (names in Chinese, "×", "°").
    const url = URL.createObjectURL(new Blob(['\uFEFF', toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}-${new Date().toISOString().slice(0, 10)}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    // Revoked after the click has been handled: the download has its own copy by then.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <button type="button" class="btn btn-ghost btn-sm q-csv" onClick={download} disabled={rows.length === 0} data-csv={name}>
      <Download size={14} aria-hidden="true" /> {t.admin.dash.csv}
    </button>
  );
}
