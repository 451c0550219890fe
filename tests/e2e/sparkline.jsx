// A React component of the user's own: bars for a list of numbers; clicking one reports its value.
function Sparkline({ points, color, onPick }) {
  const max = Math.max(1, ...points);
  return (
    <svg width={points.length * 12} height="40" role="img" aria-label="sparkline">
      {points.map((p, i) => (
        <rect
          key={i}
          className="bar"
          x={i * 12}
          y={40 - (p / max) * 40}
          width="10"
          height={(p / max) * 40}
          fill={color}
          onClick={() => onPick && onPick(p)}
        />
      ))}
    </svg>
  );
}
