/** App settings (environment variables, as on a Function App), with the samples' own values as defaults. */
function seconds(name, fallback) {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
function addSeconds(date, s) {
  return new Date(date.getTime() + s * 1000);
}

module.exports = { seconds, addSeconds };
