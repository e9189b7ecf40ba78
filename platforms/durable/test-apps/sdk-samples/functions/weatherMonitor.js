const df = require('durable-functions');
const { addSeconds, seconds } = require('./settings.js');
const clearWeatherConditions = ['clear sky', 'few clouds', 'scattered clouds', 'broken clouds'];
const weatherMonitor = function* (context) {
  const input = context.df.getInput();
  if (!input?.location?.city || !input.location.country) throw new Error('A location input with a city and a country is required.');
  if (!input.phone) throw new Error('A phone number input is required.');
  const endTime = addSeconds(context.df.currentUtcDateTime, 6 * 3600);
  while (context.df.currentUtcDateTime < endTime) {
    const isClear = yield context.df.callActivity('getIsClear', input.location);
    if (isClear) {
      yield context.df.callActivity('sendGoodWeatherAlert', input.phone);
      break;
    }
    yield context.df.createTimer(addSeconds(context.df.currentUtcDateTime, seconds('WEATHER_INTERVAL_SECONDS', 30)));
  }
  context.log('Monitor expiring.');
};
df.app.orchestration('weatherMonitor', weatherMonitor);
/** Asks the weather service (the app setting WEATHER_API_URL; the sample calls OpenWeatherMap) for the location's conditions. */
const getIsClear = async (location) => {
  const url = new URL(process.env.WEATHER_API_URL ?? 'https://api.openweathermap.org/data/2.5/weather');
  url.searchParams.set('q', `${location.city},${location.country}`);
  const response = await fetch(url);
  const data = await response.json();
  return clearWeatherConditions.includes(data.weather[0].description);
};
df.app.activity('getIsClear', { handler: getIsClear });
const sendGoodWeatherAlert = (phoneNumber) => `The weather's clear outside! Go take a walk! (to ${phoneNumber})`;
df.app.activity('sendGoodWeatherAlert', { handler: sendGoodWeatherAlert });
