# "Deep Learning with PyTorch", chapter 4 (real-world data as tensors), the tabular (wine quality)
# and time series (bike sharing) notebooks, on in-script arrays shaped like the CSV files: one-hot
# with scatter_, unsqueeze, torch.cat, normalisation, comparison masks, bool sums, and the
# view/transpose strides of the daily reshaping.
import numpy as np
import torch

torch.set_printoptions(edgeitems=2)
torch.manual_seed(0)

# -- tabular: a wine-quality-like table, the last column the 0..9 quality score -------------------
rng = np.random.RandomState(0)
col_list = [
    "fixed acidity", "volatile acidity", "citric acid", "residual sugar", "chlorides",
    "free sulfur dioxide", "total sulfur dioxide", "density", "pH", "sulphates", "alcohol", "quality",
]
scales = np.array([7.0, 0.3, 0.3, 6.0, 0.05, 35.0, 140.0, 1.0, 3.2, 0.5, 10.5], dtype=np.float32)
features = (scales * (1.0 + 0.2 * rng.randn(400, 11))).astype(np.float32)
quality = np.clip(np.round(6 + 1.2 * rng.randn(400, 1)), 3, 9).astype(np.float32)
wineq_numpy = np.concatenate([features, quality], axis=1)
print(wineq_numpy.shape, wineq_numpy.dtype, col_list[-1])

wineq = torch.from_numpy(wineq_numpy)
print(wineq.shape, wineq.type())

data = wineq[:, :-1]
print(data, data.shape)
target = wineq[:, -1]
print(target, target.shape)
target = wineq[:, -1].long()
print(target)

target_onehot = torch.zeros(target.shape[0], 10)
print(target_onehot.scatter_(1, target.unsqueeze(1), 1.0))
print(target_onehot.sum(0), target_onehot.argmax(1)[:5])
target_unsqueezed = target.unsqueeze(1)
print(target_unsqueezed)

data_mean = torch.mean(data, dim=0)
print(data_mean)
data_var = torch.var(data, dim=0)
print(data_var)
data_normalized = (data - data_mean) / torch.sqrt(data_var)
print(data_normalized)
print(data_normalized.mean(0).abs().max() < 1e-5, data_normalized.std(0))

bad_indexes = target <= 3
print(bad_indexes.shape, bad_indexes.dtype, bad_indexes.sum())
bad_data = data[bad_indexes]
print(bad_data.shape)

bad_data = data[target <= 3]
mid_data = data[(target > 3) & (target < 7)]
good_data = data[target >= 7]
bad_mean = torch.mean(bad_data, dim=0)
mid_mean = torch.mean(mid_data, dim=0)
good_mean = torch.mean(good_data, dim=0)
for i, args in enumerate(zip(col_list, bad_mean, mid_mean, good_mean)):
    print("{:2} {:20} {:6.2f} {:6.2f} {:6.2f}".format(i, *args))

total_sulfur_threshold = 141.83
total_sulfur_data = data[:, 6]
predicted_indexes = torch.lt(total_sulfur_data, total_sulfur_threshold)
print(predicted_indexes.shape, predicted_indexes.dtype, predicted_indexes.sum())
actual_indexes = target > 5
print(actual_indexes.shape, actual_indexes.dtype, actual_indexes.sum())
n_matches = torch.sum(actual_indexes & predicted_indexes).item()
n_predicted = torch.sum(predicted_indexes).item()
n_actual = torch.sum(actual_indexes).item()
print(n_matches, n_matches / n_predicted, n_matches / n_actual)
print(torch.le(target, 3).sum(), torch.gt(target, 3).sum(), torch.ge(target, 7).sum(), torch.lt(target, 7).sum())

# -- time series: 30 days of hourly records with 17 columns, as in hour-fixed.csv ----------------
torch.set_printoptions(edgeitems=2, threshold=50, linewidth=75)
n_hours = 30 * 24
hours = np.arange(n_hours)
bikes_numpy = np.zeros((n_hours, 17), dtype=np.float32)
bikes_numpy[:, 0] = hours + 1  # instant
bikes_numpy[:, 1] = hours // 24 + 1  # day of month
bikes_numpy[:, 2] = 1  # season
bikes_numpy[:, 5] = hours % 24  # hour
bikes_numpy[:, 9] = rng.randint(1, 5, size=n_hours)  # weather situation 1..4
bikes_numpy[:, 10] = (0.2 + 0.1 * np.sin(hours / 24 * 2 * np.pi) + 0.02 * rng.randn(n_hours)).round(2)
bikes_numpy[:, 16] = rng.poisson(40, size=n_hours)  # count
bikes = torch.from_numpy(bikes_numpy)
print(bikes)
print(bikes.shape, bikes.stride())

daily_bikes = bikes.view(-1, 24, bikes.shape[1])
print(daily_bikes.shape, daily_bikes.stride())
daily_bikes = daily_bikes.transpose(1, 2)
print(daily_bikes.shape, daily_bikes.stride(), daily_bikes.is_contiguous())

first_day = bikes[:24].long()
weather_onehot = torch.zeros(first_day.shape[0], 4)
print(first_day[:, 9])
print(weather_onehot.scatter_(dim=1, index=first_day[:, 9].unsqueeze(1).long() - 1, value=1.0))
print(torch.cat((bikes[:24], weather_onehot), 1)[:1])

daily_weather_onehot = torch.zeros(daily_bikes.shape[0], 4, daily_bikes.shape[2])
print(daily_weather_onehot.shape)
daily_weather_onehot.scatter_(1, daily_bikes[:, 9, :].long().unsqueeze(1) - 1, 1.0)
print(daily_weather_onehot.shape, daily_weather_onehot.sum(1).unique())
daily_bikes = torch.cat((daily_bikes, daily_weather_onehot), dim=1)
print(daily_bikes.shape)

daily_bikes[:, 9, :] = (daily_bikes[:, 9, :] - 1.0) / 3.0
print(daily_bikes[0, 9, :6])
temp = daily_bikes[:, 10, :]
temp_min = torch.min(temp)
temp_max = torch.max(temp)
daily_bikes[:, 10, :] = (daily_bikes[:, 10, :] - temp_min) / (temp_max - temp_min)
print(daily_bikes[:, 10, :].min(), daily_bikes[:, 10, :].max())
temp = daily_bikes[:, 10, :]
daily_bikes[:, 10, :] = (daily_bikes[:, 10, :] - torch.mean(temp)) / torch.std(temp)
# (a float32 std of standardised data is 1 up to rounding: printed to 4 places)
print(daily_bikes[:, 10, :].mean().abs() < 1e-5, f"{daily_bikes[:, 10, :].std().item():.4f}")
print(daily_bikes[0, :, 0])
