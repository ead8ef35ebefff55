// The intraday volume profile lives in packages/core (the dashboard's relative volume uses it too).
export * from '@tradeassist/core/volume-profile';
