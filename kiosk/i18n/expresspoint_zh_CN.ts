<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>CameraPreview</name>
        <message>
            <source>Camera picture is not available. Hold your code up anyway.</source>
            <translation>摄像头画面暂不可用。请照常将二维码对准摄像头。</translation>
        </message>
    </context>
    <context>
        <name>CheckingScreen</name>
        <message>
            <source>Checking your code…</source>
            <translation>正在核对您的取件码…</translation>
        </message>
        <message>
            <source>This takes a moment.</source>
            <translation>请稍候。</translation>
        </message>
    </context>
    <context>
        <name>CodeEntryScreen</name>
        <message>
            <source>Type your pickup code</source>
            <translation>请输入取件码</translation>
        </message>
        <message>
            <source>The 8-digit code is in your parcel message.</source>
            <translation>8位取件码在您收到的包裹通知中。</translation>
        </message>
        <message>
            <source>Open my door</source>
            <translation>打开格口</translation>
        </message>
        <message>
            <source>Back</source>
            <translation>返回</translation>
        </message>
        <message>
            <source>Code typed so far</source>
            <translation>已输入的取件码</translation>
        </message>
    </context>
    <context>
        <name>Countdown</name>
        <message numerus="yes">
            <source>Back to the start in %n s. Touch the screen to stay.</source>
            <translation>
                <numerusform>%n 秒后返回首页。触摸屏幕即可继续。</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DoneScreen</name>
        <message>
            <source>Thank you!</source>
            <translation>谢谢！</translation>
        </message>
        <message>
            <source>The door is closed. Have a nice day.</source>
            <translation>格口已关闭。祝您愉快！</translation>
        </message>
        <message numerus="yes">
            <source>Forgot something? Reopen door %1 (%n s)</source>
            <translation>
                <numerusform>忘了东西？重新打开格口 %1（%n 秒）</numerusform>
            </translation>
        </message>
        <message>
            <source>Finish</source>
            <translation>完成</translation>
        </message>
    </context>
    <context>
        <name>DoorOpenScreen</name>
        <message>
            <source>Door %1 of %2 for your code</source>
            <translation>您的取件码共 %2 个格口，这是第 %1 个</translation>
        </message>
        <message>
            <source>Opening door %1…</source>
            <translation>正在打开格口 %1…</translation>
        </message>
        <message>
            <source>The door will spring open in a moment.</source>
            <translation>柜门马上就会弹开。</translation>
        </message>
        <message>
            <source>Door %1 is still open</source>
            <translation>格口 %1 仍未关闭</translation>
        </message>
        <message>
            <source>Please close the door firmly. Staff have been notified.</source>
            <translation>请用力关好柜门。已通知工作人员。</translation>
        </message>
        <message>
            <source>Please take your parcel and close the door.</source>
            <translation>请取出包裹并关好柜门。</translation>
        </message>
        <message>
            <source>Door %1 is open</source>
            <translation>格口 %1 已打开</translation>
        </message>
        <message>
            <source>Take your parcel and close the door when you are done.</source>
            <translation>取出包裹后，请关好柜门。</translation>
        </message>
        <message>
            <source>Map of the locker with your door marked</source>
            <translation>快递柜示意图（已标出您的格口）</translation>
        </message>
    </context>
    <context>
        <name>DoorPosition</name>
        <message>
            <source>top left</source>
            <translation>左上方</translation>
        </message>
        <message>
            <source>top middle</source>
            <translation>上方中间</translation>
        </message>
        <message>
            <source>top right</source>
            <translation>右上方</translation>
        </message>
        <message>
            <source>middle left</source>
            <translation>左侧中部</translation>
        </message>
        <message>
            <source>in the middle</source>
            <translation>正中间</translation>
        </message>
        <message>
            <source>middle right</source>
            <translation>右侧中部</translation>
        </message>
        <message>
            <source>lower left</source>
            <translation>左下方</translation>
        </message>
        <message>
            <source>lower middle</source>
            <translation>下方中间</translation>
        </message>
        <message>
            <source>lower right</source>
            <translation>右下方</translation>
        </message>
        <message>
            <source>Column %1, row %2 from the top: %3</source>
            <translation>第 %1 列，从上往下第 %2 行：%3</translation>
        </message>
    </context>
    <context>
        <name>ErrorScreen</name>
        <message>
            <source>Try again</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>完成</translation>
        </message>
        <message>
            <source>This QR code is not a pickup code</source>
            <translation>此二维码不是取件码</translation>
        </message>
        <message>
            <source>Scan the QR code from your “parcel is ready” message, or type the 8-digit code.</source>
            <translation>请扫描“包裹已到”通知中的二维码，或输入8位取件码。</translation>
        </message>
        <message>
            <source>That is not a pickup code</source>
            <translation>这不是取件码</translation>
        </message>
        <message>
            <source>A pickup code has 8 digits. You find it in your parcel message.</source>
            <translation>取件码为8位数字，可在包裹通知中找到。</translation>
        </message>
        <message>
            <source>Your parcel has not arrived yet</source>
            <translation>您的包裹尚未到达</translation>
        </message>
        <message>
            <source>We will send you a message as soon as it is in the locker.</source>
            <translation>包裹放入快递柜后，我们会立即通知您。</translation>
        </message>
        <message>
            <source>d MMMM yyyy</source>
            <comment>date format of the expiry date</comment>
            <translation>yyyy年M月d日</translation>
        </message>
        <message>
            <source>The pickup time ended on %1. The parcel goes back to the sender.</source>
            <translation>取件期限已于 %1 结束。包裹将退回寄件人。</translation>
        </message>
        <message>
            <source>The pickup time has ended. The parcel goes back to the sender.</source>
            <translation>取件期限已过。包裹将退回寄件人。</translation>
        </message>
        <message>
            <source>This code has expired</source>
            <translation>此取件码已过期</translation>
        </message>
        <message>
            <source>This parcel was already picked up</source>
            <translation>此包裹已被取走</translation>
        </message>
        <message>
            <source>If it was not you, please contact support.</source>
            <translation>如果不是您本人取走的，请联系客服。</translation>
        </message>
        <message>
            <source>This delivery was cancelled</source>
            <translation>此次投递已取消</translation>
        </message>
        <message>
            <source>The parcel is not in this locker. Please contact the sender.</source>
            <translation>包裹不在此快递柜中。请联系寄件人。</translation>
        </message>
        <message>
            <source>Your parcel is in another locker</source>
            <translation>您的包裹在另一个快递柜</translation>
        </message>
        <message>
            <source>Please go to the locker %1 to pick it up.</source>
            <translation>请前往快递柜 %1 取件。</translation>
        </message>
        <message>
            <source>Door %1 did not open</source>
            <translation>格口 %1 未能打开</translation>
        </message>
        <message>
            <source>Please try once more.</source>
            <translation>请再试一次。</translation>
        </message>
        <message>
            <source>Try the door again</source>
            <translation>再次尝试开门</translation>
        </message>
        <message>
            <source>We have reported the fault. Your parcel is safe.</source>
            <translation>我们已上报故障。您的包裹安全无虞。</translation>
        </message>
        <message>
            <source>Open my next door</source>
            <translation>打开下一个格口</translation>
        </message>
        <message numerus="yes">
            <source>Please try again in %n minute(s).</source>
            <translation>
                <numerusform>请在 %n 分钟后重试。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Please try again in %n second(s).</source>
            <translation>
                <numerusform>请在 %n 秒后重试。</numerusform>
            </translation>
        </message>
        <message>
            <source>Too many wrong codes</source>
            <translation>错误次数过多</translation>
        </message>
        <message>
            <source>For your security, code entry is paused. %1</source>
            <translation>为保障安全，已暂停输入取件码。%1</translation>
        </message>
        <message>
            <source>We could not find this code</source>
            <translation>未找到此取件码</translation>
        </message>
        <message>
            <source>Check the 8 digits in your parcel message and try again.</source>
            <translation>请核对包裹通知中的8位数字后重试。</translation>
        </message>
        <message>
            <source>Need help? %1</source>
            <translation>需要帮助？%1</translation>
        </message>
    </context>
    <context>
        <name>IdleScreen</name>
        <message>
            <source>Parcel pickup</source>
            <translation>自助取件</translation>
        </message>
        <message>
            <source>Your parcel is waiting in one of these lockers.</source>
            <translation>您的包裹就在这些格口中。</translation>
        </message>
        <message>
            <source>Scan your QR code here</source>
            <translation>请在此扫描二维码</translation>
        </message>
        <message>
            <source>Show camera</source>
            <translation>显示摄像头画面</translation>
        </message>
        <message>
            <source>Type your code</source>
            <translation>输入取件码</translation>
        </message>
        <message>
            <source>Courier / service</source>
            <translation>快递员 / 维护</translation>
        </message>
        <message>
            <source>The camera is here</source>
            <translation>摄像头在这里</translation>
        </message>
    </context>
    <context>
        <name>Keypad</name>
        <message>
            <source>Clear</source>
            <translation>清除</translation>
        </message>
        <message>
            <source>Delete last digit</source>
            <translation>删除最后一位</translation>
        </message>
    </context>
    <context>
        <name>OfflineBadge</name>
        <message>
            <source>Offline: pickup still works</source>
            <translation>离线：仍可正常取件</translation>
        </message>
    </context>
    <context>
        <name>OutOfServiceScreen</name>
        <message>
            <source>Out of service</source>
            <translation>暂停服务</translation>
        </message>
        <message>
            <source>This locker cannot open doors right now. Our team has been told and will fix it. Your parcel is safe; please come back later.</source>
            <translation>此快递柜暂时无法开门。我们已收到通知并将尽快修复。您的包裹安全无虞，请稍后再来。</translation>
        </message>
        <message>
            <source>Need help? %1</source>
            <translation>需要帮助？%1</translation>
        </message>
    </context>
    <context>
        <name>ScanScreen</name>
        <message>
            <source>Hold your QR code up to the camera</source>
            <translation>请将二维码对准摄像头</translation>
        </message>
        <message>
            <source>Turn up your phone's brightness. The door opens as soon as the code is read.</source>
            <translation>请调高手机屏幕亮度。识别成功后格口会自动打开。</translation>
        </message>
        <message>
            <source>Back</source>
            <translation>返回</translation>
        </message>
        <message>
            <source>Type the code instead</source>
            <translation>改为手动输入取件码</translation>
        </message>
    </context>
</TS>
