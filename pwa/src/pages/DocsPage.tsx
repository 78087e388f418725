// The annotation guide. Pure text from the catalogs, so it opens offline and without signing in.
import { useMessages } from '../i18n';

function Pairs({ items }: { items: [string, string][] }) {
  return (
    <dl class="doc-pairs">
      {items.map(([term, text]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{text}</dd>
        </div>
      ))}
    </dl>
  );
}

export function DocsPage() {
  const d = useMessages().docs;
  return (
    <main class="page docs-page">
      <article class="doc">
        <h1>{d.title}</h1>
        <p class="lead">{d.intro}</p>
        <h2>{d.workflowTitle}</h2>
        <ol class="doc-steps">
          {d.workflow.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
        <h2>{d.paramsTitle}</h2>
        <Pairs items={d.params} />
        <h2>{d.labelsTitle}</h2>
        <h3>{d.qualityTitle}</h3>
        <Pairs items={d.quality} />
        <h3>{d.denseTitle}</h3>
        <Pairs items={d.dense} />
        <h2>{d.categoriesTitle}</h2>
        <Pairs items={d.categories} />
        <h2>{d.toolsTitle}</h2>
        <ul>
          {d.tools.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
        <h2>{d.offlineTitle}</h2>
        <p>{d.offline}</p>
      </article>
    </main>
  );
}
