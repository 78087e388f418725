// The app mark: a wireframe cube over a photo frame (the same drawing as the PWA icons).
export function Logo({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" class="logo">
      <rect x="1" y="1" width="30" height="30" rx="7" fill="#1d2633" />
      <g fill="none" stroke="#5eead4" stroke-width="1.8" stroke-linejoin="round">
        <path d="M16 6 25 11v10l-9 5-9-5V11z" />
        <path d="M7 11l9 5 9-5M16 16v10" />
      </g>
      <circle cx="16" cy="16" r="2" fill="#fbbf24" />
    </svg>
  );
}
